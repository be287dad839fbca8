<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
  <context>
    <name>AboutDialog</name>
    <message>
      <source>not installed</source>
      <translation>설치되지 않음</translation>
    </message>
    <message>
      <source> (+{count} more)</source>
      <translation> (외 {count}개)</translation>
    </message>
    <message>
      <source>CPU ({cores} cores; no CUDA GPU found)</source>
      <translation>CPU ({cores}코어, CUDA GPU 없음)</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>장치</translation>
    </message>
    <message>
      <source>About Transfer Explorer</source>
      <translation>Transfer Explorer 정보</translation>
    </message>
    <message>
      <source>Run store</source>
      <translation>실행 저장소</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>설정</translation>
    </message>
    <message>
      <source>How much does pre-training help a text-similarity model, and which way of transferring it helps most?</source>
      <translation>사전 학습은 문장 유사도 모델에 얼마나 도움이 되고, 어떤 전이 방식이 가장 도움이 될까요?</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>복사</translation>
    </message>
    <message>
      <source>Copy these versions, e.g. for a bug report</source>
      <translation>이 버전 정보를 복사합니다(버그 보고용 등)</translation>
    </message>
  </context>
  <context>
    <name>ChoiceField</name>
    <message>
      <source>{value} (from the settings)</source>
      <translation>{value} (설정에서)</translation>
    </message>
  </context>
  <context>
    <name>ColumnMappingDialog</name>
    <message>
      <source>— none —</source>
      <translation>— 없음 —</translation>
    </message>
    <message>
      <source>— none: split at random —</source>
      <translation>— 없음: 무작위로 나눔 —</translation>
    </message>
    <message>
      <source>Columns of {name}</source>
      <translation>{name}의 열</translation>
    </message>
    <message>
      <source>{size:.1f} MB</source>
      <translation>{size:.1f} MB</translation>
    </message>
    <message>
      <source>{size:,} bytes</source>
      <translation>{size:,}바이트</translation>
    </message>
    <message>
      <source>{size}, encoding {encoding}. Which column holds what?</source>
      <translation>{size}, 인코딩 {encoding}. 어느 열에 무엇이 들어 있습니까?</translation>
    </message>
    <message>
      <source>— detect ({columns}) —</source>
      <translation>— 자동 감지 ({columns}) —</translation>
    </message>
    <message>
      <source>— detect (none found by name) —</source>
      <translation>— 자동 감지 (이름으로 찾은 열 없음) —</translation>
    </message>
    <message>
      <source>A column whose values are train, dev (valid, validation, trial) or test puts each row in that split; otherwise dev and test are split off at random</source>
      <translation>값이 train, dev (valid, validation, trial), test인 열이 있으면 각 행이 그 세트로 들어갑니다. 없으면 검증(dev) 세트와 테스트 세트를 무작위로 떼어 냅니다</translation>
    </message>
    <message>
      <source>choose a score or a label column</source>
      <translation>점수 열이나 레이블 열을 고르십시오</translation>
    </message>
    <message>
      <source>choose a column for {fields}</source>
      <translation>{fields}에 쓸 열을 고르십시오</translation>
    </message>
    <message>
      <source>each column can be used once</source>
      <translation>각 열은 한 번만 쓸 수 있습니다</translation>
    </message>
  </context>
  <context>
    <name>CompareTab</name>
    <message>
      <source>Tick runs to compare. Curves share axes and colours; the key under them names upstream / method → dataset.</source>
      <translation>비교할 실행을 체크하십시오. 곡선은 같은 축과 색을 쓰며, 아래 범례는 업스트림 / 전이 방식 → 데이터셋을 나타냅니다.</translation>
    </message>
    <message>
      <source>Dev metric during training</source>
      <translation>학습 중 검증(dev) 지표</translation>
    </message>
    <message>
      <source>epoch (fractional)</source>
      <translation>에폭 (소수 포함)</translation>
    </message>
    <message>
      <source>Training loss</source>
      <translation>학습 손실</translation>
    </message>
    <message>
      <source>step</source>
      <translation>스텝</translation>
    </message>
    <message>
      <source>loss</source>
      <translation>손실</translation>
    </message>
    <message>
      <source>Final dev metric per run (best epoch)</source>
      <translation>실행별 최종 검증(dev) 지표 (최고 에폭)</translation>
    </message>
    <message>
      <source>run</source>
      <translation>실행</translation>
    </message>
    <message>
      <source>upstream</source>
      <translation>업스트림</translation>
    </message>
    <message>
      <source>method</source>
      <translation>전이 방식</translation>
    </message>
    <message>
      <source>data</source>
      <translation>데이터</translation>
    </message>
    <message>
      <source>encoder</source>
      <translation>인코더</translation>
    </message>
    <message>
      <source>fraction</source>
      <translation>비율</translation>
    </message>
    <message>
      <source>seed</source>
      <translation>시드</translation>
    </message>
    <message>
      <source>dev</source>
      <translation>검증(dev)</translation>
    </message>
    <message>
      <source>test</source>
      <translation>테스트</translation>
    </message>
    <message>
      <source>metric</source>
      <translation>지표</translation>
    </message>
    <message>
      <source>seconds</source>
      <translation>초</translation>
    </message>
  </context>
  <context>
    <name>DataTab</name>
    <message>
      <source>Analyze</source>
      <translation>분석</translation>
    </message>
    <message>
      <source>words</source>
      <translation>단어 수</translation>
    </message>
    <message>
      <source>share %</source>
      <translation>비율 %</translation>
    </message>
    <message>
      <source>score</source>
      <translation>점수</translation>
    </message>
    <message>
      <source>pairs</source>
      <translation>쌍 수</translation>
    </message>
    <message>
      <source>Sentence length (words, train)</source>
      <translation>문장 길이 (단어 수, 학습)</translation>
    </message>
    <message>
      <source>Examples per split</source>
      <translation>세트별 예제 수</translation>
    </message>
    <message>
      <source>Gold scores (train)</source>
      <translation>정답 점수 (학습)</translation>
    </message>
    <message>
      <source>Downstream words seen upstream</source>
      <translation>업스트림에서 본 다운스트림 단어</translation>
    </message>
    <message>
      <source>Loading {downstream} and {upstream}…</source>
      <translation>{downstream}, {upstream} 불러오는 중…</translation>
    </message>
    <message>
      <source>Loading {downstream}…</source>
      <translation>{downstream} 불러오는 중…</translation>
    </message>
    <message>
      <source>Could not analyze: {error}</source>
      <translation>분석할 수 없습니다: {error}</translation>
    </message>
    <message>
      <source>Downstream {name} ({language}, {task}, {source})</source>
      <translation>다운스트림 {name} ({language}, {task}, {source})</translation>
    </message>
    <message>
      <source> · upstream {name} ({language}, {source})</source>
      <translation> · 업스트림 {name} ({language}, {source})</translation>
    </message>
    <message>
      <source>Statistics of the chosen datasets.</source>
      <translation>선택한 데이터셋의 통계입니다.</translation>
    </message>
    <message>
      <source>train</source>
      <translation>학습</translation>
    </message>
    <message>
      <source>dev</source>
      <translation>검증(dev)</translation>
    </message>
    <message>
      <source>test</source>
      <translation>테스트</translation>
    </message>
    <message>
      <source>Examples per split (from the column '{column}')</source>
      <translation>세트별 예제 수 ('{column}' 열 기준)</translation>
    </message>
    <message>
      <source>downstream: {name}</source>
      <translation>다운스트림: {name}</translation>
    </message>
    <message>
      <source>upstream: {name}</source>
      <translation>업스트림: {name}</translation>
    </message>
    <message>
      <source>downstream</source>
      <translation>다운스트림</translation>
    </message>
    <message>
      <source>upstream</source>
      <translation>업스트림</translation>
    </message>
    <message>
      <source>{stage} (mean {mean:.1f})</source>
      <translation>{stage} (평균 {mean:.1f})</translation>
    </message>
    <message>
      <source>Labels (train)</source>
      <translation>레이블 (학습)</translation>
    </message>
    <message>
      <source>word types</source>
      <translation>단어 종류</translation>
    </message>
    <message>
      <source>running words</source>
      <translation>전체 단어</translation>
    </message>
    <message>
      <source>Downstream words seen upstream ({shared:,} of {total:,} types)</source>
      <translation>업스트림에서 본 다운스트림 단어 ({total:,}종 중 {shared:,}종)</translation>
    </message>
    <message>
      <source>Downstream words seen upstream (no upstream corpus)</source>
      <translation>업스트림에서 본 다운스트림 단어 (업스트림 말뭉치 없음)</translation>
    </message>
    <message>
      <source>Not seen upstream (most common): {words}</source>
      <translation>업스트림에 없는 단어 (빈도순): {words}</translation>
    </message>
    <message>
      <source>Notes: {notes}</source>
      <translation>참고: {notes}</translation>
    </message>
  </context>
  <context>
    <name>DatasetCombo</name>
    <message>
      <source>demo — bundled, offline</source>
      <translation>demo — 내장, 오프라인</translation>
    </message>
    <message>
      <source>{name} — local file</source>
      <translation>{name} — 로컬 파일</translation>
    </message>
    <message>
      <source>Open local file…</source>
      <translation>로컬 파일 열기…</translation>
    </message>
  </context>
  <context>
    <name>ErrorBanner</name>
    <message>
      <source>Details</source>
      <translation>자세히</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>닫기</translation>
    </message>
  </context>
  <context>
    <name>ExperimentPanel</name>
    <message>
      <source>auto</source>
      <translation>자동</translation>
    </message>
    <message>
      <source>bi-encoder MLP on [u, v, |u−v|, u·v]</source>
      <translation>바이 인코더 MLP ([u, v, |u−v|, u·v])</translation>
    </message>
    <message>
      <source>cosine of u, v (Sentence-BERT)</source>
      <translation>u, v의 코사인 (Sentence-BERT)</translation>
    </message>
    <message>
      <source>cross-encoder (checkpoints)</source>
      <translation>크로스 인코더 (체크포인트)</translation>
    </message>
    <message>
      <source>mean of tokens</source>
      <translation>토큰 평균</translation>
    </message>
    <message>
      <source>first token ([CLS])</source>
      <translation>첫 토큰 ([CLS])</translation>
    </message>
    <message>
      <source>last token</source>
      <translation>마지막 토큰</translation>
    </message>
    <message>
      <source>1 · Upstream task — what the encoder learns first</source>
      <translation>1 · 업스트림 태스크 — 인코더가 먼저 배우는 것</translation>
    </message>
    <message>
      <source>2 · Transfer method — how its weights are used</source>
      <translation>2 · 전이 방식 — 그 가중치를 쓰는 방법</translation>
    </message>
    <message>
      <source>3 · Downstream dataset — sentence-pair similarity</source>
      <translation>3 · 다운스트림 데이터셋 — 문장 쌍 유사도</translation>
    </message>
    <message>
      <source>task</source>
      <translation>태스크</translation>
    </message>
    <message>
      <source>data</source>
      <translation>데이터</translation>
    </message>
    <message>
      <source>model</source>
      <translation>모델</translation>
    </message>
    <message>
      <source>vectors</source>
      <translation>벡터</translation>
    </message>
    <message>
      <source>method</source>
      <translation>방식</translation>
    </message>
    <message>
      <source>Folder…</source>
      <translation>폴더…</translation>
    </message>
    <message>
      <source>A hub name (downloaded once into the Hugging Face cache) or a local folder with config.json</source>
      <translation>허브 이름(Hugging Face 캐시에 한 번 내려받습니다) 또는 config.json이 있는 로컬 폴더</translation>
    </message>
    <message>
      <source>Advanced settings</source>
      <translation>고급 설정</translation>
    </message>
    <message>
      <source>auto (CUDA only)</source>
      <translation>자동 (CUDA에서만)</translation>
    </message>
    <message>
      <source>off</source>
      <translation>끔</translation>
    </message>
    <message>
      <source>constant</source>
      <translation>고정</translation>
    </message>
    <message>
      <source>linear</source>
      <translation>선형</translation>
    </message>
    <message>
      <source>default</source>
      <translation>기본값</translation>
    </message>
    <message>
      <source>all</source>
      <translation>전부</translation>
    </message>
    <message>
      <source>auto: 1e-3, or 2e-5 for a checkpoint</source>
      <translation>자동: 1e-3, 체크포인트는 2e-5</translation>
    </message>
    <message>
      <source>auto: 1e-3 for a checkpoint, else lr</source>
      <translation>자동: 체크포인트는 1e-3, 그 밖에는 학습률</translation>
    </message>
    <message>
      <source>auto: 0.1 for a checkpoint, else 0</source>
      <translation>자동: 체크포인트는 0.1, 그 밖에는 0</translation>
    </message>
    <message>
      <source>optional</source>
      <translation>선택 사항</translation>
    </message>
    <message>
      <source>folder with &lt;name&gt;/train.tsv … (optional)</source>
      <translation>&lt;name&gt;/train.tsv …가 있는 폴더 (선택 사항)</translation>
    </message>
    <message>
      <source>encoder lr multiplier</source>
      <translation>인코더 학습률 배수</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>재개</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>일시 정지</translation>
    </message>
    <message>
      <source>▶ Run</source>
      <translation>▶ 실행</translation>
    </message>
    <message>
      <source>■ Stop</source>
      <translation>■ 중지</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>모델</translation>
    </message>
    <message>
      <source>Downstream training</source>
      <translation>다운스트림 학습</translation>
    </message>
    <message>
      <source>Upstream training</source>
      <translation>업스트림 학습</translation>
    </message>
    <message>
      <source>Run</source>
      <translation>실행</translation>
    </message>
    <message>
      <source>encoder</source>
      <translation>인코더</translation>
    </message>
    <message>
      <source>size</source>
      <translation>크기</translation>
    </message>
    <message>
      <source>head</source>
      <translation>헤드</translation>
    </message>
    <message>
      <source>pooling</source>
      <translation>풀링</translation>
    </message>
    <message>
      <source>vocabulary size</source>
      <translation>어휘 크기</translation>
    </message>
    <message>
      <source>max tokens</source>
      <translation>최대 토큰 수</translation>
    </message>
    <message>
      <source>epochs</source>
      <translation>에폭</translation>
    </message>
    <message>
      <source>batch size</source>
      <translation>배치 크기</translation>
    </message>
    <message>
      <source>learning rate</source>
      <translation>학습률</translation>
    </message>
    <message>
      <source>head learning rate</source>
      <translation>헤드 학습률</translation>
    </message>
    <message>
      <source>encoder lr ×</source>
      <translation>인코더 학습률 ×</translation>
    </message>
    <message>
      <source>weight decay</source>
      <translation>가중치 감쇠</translation>
    </message>
    <message>
      <source>gradient clip</source>
      <translation>그래디언트 클리핑</translation>
    </message>
    <message>
      <source>warm-up steps</source>
      <translation>워밍업 스텝</translation>
    </message>
    <message>
      <source>warm-up ratio</source>
      <translation>워밍업 비율</translation>
    </message>
    <message>
      <source>schedule</source>
      <translation>스케줄</translation>
    </message>
    <message>
      <source>patience (evals)</source>
      <translation>인내 (평가 횟수)</translation>
    </message>
    <message>
      <source>evaluate every (steps)</source>
      <translation>평가 간격 (스텝)</translation>
    </message>
    <message>
      <source>log every (steps)</source>
      <translation>기록 간격 (스텝)</translation>
    </message>
    <message>
      <source>train fraction</source>
      <translation>학습 세트 비율</translation>
    </message>
    <message>
      <source>score range</source>
      <translation>점수 범위</translation>
    </message>
    <message>
      <source>upstream epochs</source>
      <translation>업스트림 에폭</translation>
    </message>
    <message>
      <source>upstream batch size</source>
      <translation>업스트림 배치 크기</translation>
    </message>
    <message>
      <source>upstream learning rate</source>
      <translation>업스트림 학습률</translation>
    </message>
    <message>
      <source>upstream sentences</source>
      <translation>업스트림 문장 수</translation>
    </message>
    <message>
      <source>upstream seed</source>
      <translation>업스트림 시드</translation>
    </message>
    <message>
      <source>run name</source>
      <translation>실행 이름</translation>
    </message>
    <message>
      <source>seed</source>
      <translation>시드</translation>
    </message>
    <message>
      <source>device</source>
      <translation>장치</translation>
    </message>
    <message>
      <source>CPU threads</source>
      <translation>CPU 스레드</translation>
    </message>
    <message>
      <source>mixed precision</source>
      <translation>혼합 정밀도</translation>
    </message>
    <message>
      <source>data root</source>
      <translation>데이터 루트</translation>
    </message>
    <message>
      <source>Open vectors file (.txt / .vec)…</source>
      <translation>벡터 파일 열기 (.txt / .vec)…</translation>
    </message>
    <message>
      <source>local folder</source>
      <translation>로컬 폴더</translation>
    </message>
    <message>
      <source>Checkpoint folder (with config.json)</source>
      <translation>체크포인트 폴더 (config.json 포함)</translation>
    </message>
    <message>
      <source>Word vectors</source>
      <translation>단어 벡터</translation>
    </message>
    <message>
      <source>Vectors (*.txt *.vec);;All (*)</source>
      <translation>벡터 (*.txt *.vec);;모든 파일 (*)</translation>
    </message>
    <message>
      <source>Data root</source>
      <translation>데이터 루트</translation>
    </message>
    <message>
      <source>a hub name or a folder</source>
      <translation>허브 이름 또는 폴더</translation>
    </message>
    <message>
      <source>default: {value}</source>
      <translation>기본값: {value}</translation>
    </message>
    <message>
      <source>Changed from the defaults (bold): {settings}</source>
      <translation>기본값에서 바뀐 설정 (굵게): {settings}</translation>
    </message>
    <message>
      <source>All advanced settings are at their defaults.</source>
      <translation>모든 고급 설정이 기본값입니다.</translation>
    </message>
  </context>
  <context>
    <name>FloatField</name>
    <message>
      <source>{label}: {text!r} is not a number</source>
      <translation>{label}: {text!r}은(는) 숫자가 아닙니다</translation>
    </message>
    <message>
      <source>{label}: {text!r} is not a finite number</source>
      <translation>{label}: {text!r}은(는) 유한한 숫자가 아닙니다</translation>
    </message>
  </context>
  <context>
    <name>HistoryTab</name>
    <message>
      <source>Reopen</source>
      <translation>다시 열기</translation>
    </message>
    <message>
      <source>Rename…</source>
      <translation>이름 바꾸기…</translation>
    </message>
    <message>
      <source>Rerun</source>
      <translation>다시 실행</translation>
    </message>
    <message>
      <source>Export model…</source>
      <translation>모델 내보내기…</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>CSV 내보내기…</translation>
    </message>
    <message>
      <source>Export PNG…</source>
      <translation>PNG 내보내기…</translation>
    </message>
    <message>
      <source>Delete…</source>
      <translation>삭제…</translation>
    </message>
    <message>
      <source>Write the run's model to a new folder: a sentence-transformers folder for checkpoint runs, safetensors + tokenizer for our own encoders, with a model card</source>
      <translation>실행의 모델을 새 폴더에 씁니다. 체크포인트 실행은 sentence-transformers 폴더로, 이 앱의 인코더는 safetensors + 토크나이저로 쓰며, 모델 카드가 함께 들어갑니다</translation>
    </message>
    <message>
      <source>id</source>
      <translation>ID</translation>
    </message>
    <message>
      <source>name</source>
      <translation>이름</translation>
    </message>
    <message>
      <source>status</source>
      <translation>상태</translation>
    </message>
    <message>
      <source>upstream</source>
      <translation>업스트림</translation>
    </message>
    <message>
      <source>method</source>
      <translation>전이 방식</translation>
    </message>
    <message>
      <source>downstream</source>
      <translation>다운스트림</translation>
    </message>
    <message>
      <source>encoder</source>
      <translation>인코더</translation>
    </message>
    <message>
      <source>fraction</source>
      <translation>비율</translation>
    </message>
    <message>
      <source>seed</source>
      <translation>시드</translation>
    </message>
    <message>
      <source>dev</source>
      <translation>검증(dev)</translation>
    </message>
    <message>
      <source>test</source>
      <translation>테스트</translation>
    </message>
    <message>
      <source>seconds</source>
      <translation>초</translation>
    </message>
    <message>
      <source>created</source>
      <translation>만든 시각</translation>
    </message>
    <message numerus="yes">
      <source>%n runs</source>
      <translation>
        <numerusform>실행 %n개</numerusform>
      </translation>
    </message>
    <message>
      <source>Exporting run {run} to {folder}…</source>
      <translation>실행 {run}을(를) {folder}(으)로 내보내는 중…</translation>
    </message>
    <message>
      <source> Note: {note}.</source>
      <translation> 참고: {note}.</translation>
    </message>
    <message>
      <source>Exported as a {kind} folder to {folder} ({files} files, model card README.md).{notes}</source>
      <translation>{folder}에 {kind} 폴더로 내보냈습니다 (파일 {files}개, 모델 카드 README.md).{notes}</translation>
    </message>
    <message>
      <source>Export failed: {error}</source>
      <translation>내보내기 실패: {error}</translation>
    </message>
    <message>
      <source>Export model</source>
      <translation>모델 내보내기</translation>
    </message>
    <message>
      <source>Run {run} is {status}; only a finished run has a model to export.</source>
      <translation>실행 {run}의 상태는 {status}입니다. 완료된 실행만 내보낼 모델이 있습니다.</translation>
    </message>
    <message>
      <source>Export model to a new folder</source>
      <translation>새 폴더로 모델 내보내기</translation>
    </message>
    <message>
      <source>Folder (*)</source>
      <translation>폴더 (*)</translation>
    </message>
    <message>
      <source>Rename run</source>
      <translation>실행 이름 바꾸기</translation>
    </message>
    <message>
      <source>Name of run {run}:</source>
      <translation>실행 {run}의 이름:</translation>
    </message>
    <message>
      <source>Delete run</source>
      <translation>실행 삭제</translation>
    </message>
    <message>
      <source>Delete run {run} ({description}) and its model?</source>
      <translation>실행 {run} ({description})과(와) 그 모델을 삭제하시겠습니까?</translation>
    </message>
    <message>
      <source>Run {run} is running (process {pid} on {host}). Stop it before deleting it.

If that process is gone, mark the run 'interrupted'?</source>
      <translation>실행 {run}이(가) 진행 중입니다 ({host}의 프로세스 {pid}). 삭제하기 전에 중지하십시오.

그 프로세스가 이미 없다면 이 실행을 'interrupted'(중단됨)로 표시하시겠습니까?</translation>
    </message>
    <message>
      <source>Export metrics</source>
      <translation>지표 내보내기</translation>
    </message>
    <message>
      <source>Export curves</source>
      <translation>곡선 내보내기</translation>
    </message>
  </context>
  <context>
    <name>LayersView</name>
    <message>
      <source>Sentiment classifier (upstream)</source>
      <translation>감성 분류기 (업스트림)</translation>
    </message>
    <message>
      <source>Similarity model (downstream)</source>
      <translation>유사도 모델 (다운스트림)</translation>
    </message>
    <message>
      <source>copied</source>
      <translation>복사됨</translation>
    </message>
    <message>
      <source>dropped</source>
      <translation>버림</translation>
    </message>
    <message>
      <source>new</source>
      <translation>새로 추가</translation>
    </message>
  </context>
  <context>
    <name>LessonTab</name>
    <message>
      <source>Data:</source>
      <translation>데이터:</translation>
    </message>
    <message>
      <source>Demo data (bundled, offline)</source>
      <translation>데모 데이터 (내장, 오프라인)</translation>
    </message>
    <message>
      <source>STS-B (English, real)</source>
      <translation>STS-B (영어, 실제 데이터)</translation>
    </message>
    <message>
      <source>KorSTS (Korean, real)</source>
      <translation>KorSTS (한국어, 실제 데이터)</translation>
    </message>
    <message>
      <source>seeds </source>
      <translation>시드 </translation>
    </message>
    <message>
      <source>Each run is repeated with this many seeds; the verdicts test the differences over them. More seeds tell smaller differences from noise (the runs of seeds already done are kept).</source>
      <translation>각 실행을 이 개수의 시드로 반복하고, 판정은 시드 사이의 차이를 검정합니다. 시드가 많을수록 더 작은 차이도 잡음과 구별할 수 있습니다 (이미 끝난 시드의 실행은 그대로 씁니다).</translation>
    </message>
    <message>
      <source>▶ Run this step</source>
      <translation>▶ 이 단계 실행</translation>
    </message>
    <message>
      <source>■ Stop</source>
      <translation>■ 중지</translation>
    </message>
    <message>
      <source>Show in the Matrix tab</source>
      <translation>매트릭스 탭에서 보기</translation>
    </message>
    <message>
      <source>Every run of this step, its matrix and verdicts, in the Matrix tab</source>
      <translation>이 단계의 모든 실행과 매트릭스, 판정을 매트릭스 탭에서 봅니다</translation>
    </message>
    <message>
      <source>Compare the runs</source>
      <translation>실행 비교</translation>
    </message>
    <message>
      <source>Overlay the curves of each arm's run on all the labelled pairs (seed 0)</source>
      <translation>레이블된 쌍 전부로 학습한 각 실험군의 실행(시드 0) 곡선을 겹쳐 봅니다</translation>
    </message>
    <message>
      <source>◀ Previous</source>
      <translation>◀ 이전</translation>
    </message>
    <message>
      <source>Next ▶</source>
      <translation>다음 ▶</translation>
    </message>
    <message>
      <source>Dev score against the labelled pairs used</source>
      <translation>사용한 레이블된 쌍에 따른 검증(dev) 점수</translation>
    </message>
    <message>
      <source>share of the labelled pairs (log scale)</source>
      <translation>레이블된 쌍의 비율 (로그 척도)</translation>
    </message>
    <message>
      <source>dev ×100</source>
      <translation>검증(dev) ×100</translation>
    </message>
    <message>
      <source>Step {n} of {total}: {title}</source>
      <translation>{total}단계 중 {n}단계: {title}</translation>
    </message>
    <message>
      <source>Done: all {total} runs are in the store</source>
      <translation>완료: 실행 {total}개가 모두 저장소에 있습니다</translation>
    </message>
    <message>
      <source>{done} of {total} runs in the store</source>
      <translation>실행 {total}개 중 {done}개가 저장소에 있습니다</translation>
    </message>
    <message>
      <source>Not run yet</source>
      <translation>아직 실행하지 않음</translation>
    </message>
    <message>
      <source>Synthetic pairs made so that pre-training can show: few labelled pairs, more unlabelled sentences with words the pairs rarely use.</source>
      <translation>사전 학습의 효과가 드러나도록 만든 합성 데이터입니다: 레이블된 쌍은 적고, 레이블 없는 문장은 더 많으며 그 문장에는 쌍에 드물게 나오는 단어가 쓰입니다.</translation>
    </message>
    <message>
      <source>Real data: read from the data folder when it has a copy, else from the Hugging Face hub. A step takes minutes here, not seconds.</source>
      <translation>실제 데이터: 데이터 폴더에 사본이 있으면 거기서, 없으면 Hugging Face 허브에서 읽습니다. 한 단계에 몇 초가 아니라 몇 분이 걸립니다.</translation>
    </message>
    <message>
      <source>{cells} runs: {arms} arms × {shares} shares × {seeds} seeds.</source>
      <translation>실행 {cells}개: 실험군 {arms}개 × 비율 {shares}개 × 시드 {seeds}개.</translation>
    </message>
    <message>
      <source>Measured: about {duration} on 2 CPU cores.</source>
      <translation>측정값: CPU 코어 2개에서 {duration}.</translation>
    </message>
    <message>
      <source>{done} of {cells} runs are in the store; Run trains the rest.</source>
      <translation>실행 {cells}개 중 {done}개가 저장소에 있습니다. 실행을 누르면 나머지를 학습합니다.</translation>
    </message>
    <message>
      <source>All {cells} runs are in the store ({duration} of training in all): shown without training.</source>
      <translation>실행 {cells}개가 모두 저장소에 있습니다 (학습 시간 합계 {duration}): 학습 없이 바로 보여 줍니다.</translation>
    </message>
    <message>
      <source>Training {todo} of {cells} runs ({skipped} found in the store)</source>
      <translation>실행 {cells}개 중 {todo}개 학습 중 ({skipped}개는 저장소에 있음)</translation>
    </message>
    <message>
      <source>{duration} left</source>
      <translation>{duration} 남음</translation>
    </message>
    <message>
      <source>Stopping after the run in flight…</source>
      <translation>진행 중인 실행이 끝나면 중지합니다…</translation>
    </message>
    <message>
      <source>Step {status} in {duration}.</source>
      <translation>단계 {status}: {duration}.</translation>
    </message>
    <message>
      <source>The step could not run: {message}</source>
      <translation>단계를 실행할 수 없습니다: {message}</translation>
    </message>
    <message>
      <source>Press Run: each arm's mean dev score
appears here as its runs finish</source>
      <translation>실행을 누르세요: 각 실험군의 평균 검증(dev) 점수가
실행이 끝나는 대로 여기에 나타납니다</translation>
    </message>
    <message>
      <source>The answer is read here from the measured numbers once the step has run.</source>
      <translation>단계를 실행하면 측정한 수치로부터 읽어 낸 답이 여기에 나옵니다.</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Run stores (*.sqlite *.sqlite3 *.db);;All files (*)</source>
      <translation>실행 저장소 (*.sqlite *.sqlite3 *.db);;모든 파일 (*)</translation>
    </message>
    <message>
      <source>The last run store, {path}, is gone: the default one is open.</source>
      <translation>지난번 실행 저장소 {path}이(가) 없어졌습니다. 기본 저장소를 열었습니다.</translation>
    </message>
    <message>
      <source>The last run store cannot be opened ({reason}): the default one is open.</source>
      <translation>지난번 실행 저장소를 열 수 없습니다 ({reason}). 기본 저장소를 열었습니다.</translation>
    </message>
    <message>
      <source>Runs {runs} were cut off when the app last ended and are marked 'interrupted'.</source>
      <translation>실행 {runs}은(는) 앱이 지난번 끝날 때 중간에 끊겨 'interrupted'(중단됨)로 표시했습니다.</translation>
    </message>
    <message>
      <source>Lesson</source>
      <translation>수업</translation>
    </message>
    <message>
      <source>Training</source>
      <translation>학습</translation>
    </message>
    <message>
      <source>Predictions</source>
      <translation>예측</translation>
    </message>
    <message>
      <source>Data</source>
      <translation>데이터</translation>
    </message>
    <message>
      <source>Compare</source>
      <translation>비교</translation>
    </message>
    <message>
      <source>Playground</source>
      <translation>플레이그라운드</translation>
    </message>
    <message>
      <source>History</source>
      <translation>기록</translation>
    </message>
    <message>
      <source>Matrix</source>
      <translation>매트릭스</translation>
    </message>
    <message>
      <source>Ready</source>
      <translation>준비됨</translation>
    </message>
    <message>
      <source>Stopping at the next step…</source>
      <translation>다음 스텝에서 중지합니다…</translation>
    </message>
    <message>
      <source>pre-trained elsewhere — loaded, not trained here</source>
      <translation>다른 곳에서 사전 학습됨 — 여기서는 불러오기만 하고 학습하지 않습니다</translation>
    </message>
    <message>
      <source>no upstream training in this run</source>
      <translation>이 실행에는 업스트림 학습이 없습니다</translation>
    </message>
    <message>
      <source>Paused — press Resume to continue, Stop to end the run</source>
      <translation>일시 정지됨 — 계속하려면 재개를, 실행을 끝내려면 중지를 누르십시오</translation>
    </message>
    <message>
      <source>Running {experiment}…</source>
      <translation>{experiment} 실행 중…</translation>
    </message>
    <message>
      <source>device: {device}</source>
      <translation>장치: {device}</translation>
    </message>
    <message>
      <source>{speed:,.0f} examples/s · GPU memory {memory:,.0f} MiB</source>
      <translation>초당 예제 {speed:,.0f}개 · GPU 메모리 {memory:,.0f} MiB</translation>
    </message>
    <message>
      <source>{speed:,.0f} examples/s</source>
      <translation>초당 예제 {speed:,.0f}개</translation>
    </message>
    <message>
      <source>upstream: from cache</source>
      <translation>업스트림: 캐시에서</translation>
    </message>
    <message>
      <source>upstream: training</source>
      <translation>업스트림: 학습 중</translation>
    </message>
    <message>
      <source>upstream: pre-trained, loaded in {seconds:.1f} s</source>
      <translation>업스트림: 사전 학습됨, {seconds:.1f} s 만에 불러옴</translation>
    </message>
    <message>
      <source>upstream: trained in {seconds:.0f} s (now cached)</source>
      <translation>업스트림: {seconds:.0f} s 만에 학습함 (이제 캐시됨)</translation>
    </message>
    <message>
      <source>Run {run} {status} ({seconds:.1f} s)</source>
      <translation>실행 {run}: {status} ({seconds:.1f} s)</translation>
    </message>
    <message>
      <source>Run {run}: {status} — reopened from the store</source>
      <translation>실행 {run}: {status} — 저장소에서 다시 열었습니다</translation>
    </message>
    <message>
      <source>Run {run}, dev, best model</source>
      <translation>실행 {run}, 검증(dev), 최고 모델</translation>
    </message>
    <message>
      <source>run {run}: its settings cannot be shown ({reason})</source>
      <translation>실행 {run}: 설정을 보여 줄 수 없습니다 ({reason})</translation>
    </message>
    <message>
      <source>A run is in progress: stop it before opening another run store.</source>
      <translation>실행이 진행 중입니다. 다른 실행 저장소를 열기 전에 중지하십시오.</translation>
    </message>
    <message>
      <source>A sweep is in progress: stop it before opening another run store.</source>
      <translation>스윕이 진행 중입니다. 다른 실행 저장소를 열기 전에 중지하십시오.</translation>
    </message>
    <message>
      <source>{path} already exists: open it with File → Open run store.</source>
      <translation>{path}이(가) 이미 있습니다. 파일 → 실행 저장소 열기로 여십시오.</translation>
    </message>
    <message>
      <source>{path}: no such file</source>
      <translation>{path}: 그런 파일이 없습니다</translation>
    </message>
    <message>
      <source>Run store {name} opened. Press Run, or reopen a run from History.</source>
      <translation>실행 저장소 {name}을(를) 열었습니다. 실행을 누르거나 기록에서 실행을 다시 여십시오.</translation>
    </message>
    <message>
      <source>Predictions on the dev set appear after the first evaluation.</source>
      <translation>검증(dev) 세트의 예측은 첫 평가 뒤에 나타납니다.</translation>
    </message>
    <message>
      <source>Runs {runs} were cut off and are marked 'interrupted'.</source>
      <translation>실행 {runs}이(가) 중간에 끊겨 'interrupted'(중단됨)로 표시했습니다.</translation>
    </message>
    <message>
      <source>Opened {path}</source>
      <translation>{path}을(를) 열었습니다</translation>
    </message>
    <message>
      <source>Open run store</source>
      <translation>실행 저장소 열기</translation>
    </message>
    <message>
      <source>New run store</source>
      <translation>새 실행 저장소</translation>
    </message>
    <message>
      <source>{reason}. It is open here for reading only: runs and sweeps cannot start.</source>
      <translation>{reason}. 여기서는 읽기 전용으로 열려 있어 실행과 스윕을 시작할 수 없습니다.</translation>
    </message>
    <message>
      <source>store: {path}</source>
      <translation>저장소: {path}</translation>
    </message>
    <message>
      <source>A run is in progress: stop it before choosing other data.</source>
      <translation>실행이 진행 중입니다. 다른 데이터를 고르기 전에 중지하십시오.</translation>
    </message>
    <message>
      <source>Open a dataset</source>
      <translation>데이터셋 열기</translation>
    </message>
    <message>
      <source>Tables (*.tsv *.csv *.jsonl *.json *.txt);;All (*)</source>
      <translation>표 (*.tsv *.csv *.jsonl *.json *.txt);;모든 파일 (*)</translation>
    </message>
    <message>
      <source>Map columns…</source>
      <translation>열 지정…</translation>
    </message>
    <message>
      <source>Error: {message}</source>
      <translation>오류: {message}</translation>
    </message>
  </context>
  <context>
    <name>MatrixTab</name>
    <message>
      <source>Open sweep file…</source>
      <translation>스윕 파일 열기…</translation>
    </message>
    <message>
      <source>workers </source>
      <translation>워커 </translation>
    </message>
    <message>
      <source>Cells trained at once, each in its own process (with cpu_count ÷ workers threads on the CPU; each needs up to ~1.7 GB of memory for the stsb-cpu cells).
On a GPU, use several: one worker leaves it idle most of the time — stsb-cpu on one H200 took ~490 s with 1 worker, 92 s with 8.</source>
      <translation>동시에 학습하는 셀 수입니다. 셀마다 별도 프로세스에서 실행됩니다 (CPU에서는 각각 cpu_count ÷ 워커 수만큼의 스레드를 쓰며, stsb-cpu 셀은 각각 최대 약 1.7 GB의 메모리가 필요합니다).
GPU에서는 여러 개를 쓰십시오. 워커가 하나면 GPU가 대부분 놀게 됩니다 — H200 한 대에서 stsb-cpu는 워커 1개로 약 490 s, 8개로 92 s 걸렸습니다.</translation>
    </message>
    <message>
      <source>▶ Run sweep</source>
      <translation>▶ 스윕 실행</translation>
    </message>
    <message>
      <source>■ Stop</source>
      <translation>■ 중지</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>CSV 내보내기…</translation>
    </message>
    <message>
      <source>Export Markdown…</source>
      <translation>Markdown 내보내기…</translation>
    </message>
    <message>
      <source>Export PNG…</source>
      <translation>PNG 내보내기…</translation>
    </message>
    <message>
      <source>arm</source>
      <translation>실험군</translation>
    </message>
    <message>
      <source>data</source>
      <translation>데이터</translation>
    </message>
    <message>
      <source>share</source>
      <translation>비율</translation>
    </message>
    <message>
      <source>seed</source>
      <translation>시드</translation>
    </message>
    <message>
      <source>status</source>
      <translation>상태</translation>
    </message>
    <message>
      <source>dev</source>
      <translation>검증(dev)</translation>
    </message>
    <message>
      <source>run</source>
      <translation>실행</translation>
    </message>
    <message>
      <source>Data-size curve: dev metric vs labelled data</source>
      <translation>데이터 크기 곡선: 레이블된 데이터 양에 따른 검증(dev) 지표</translation>
    </message>
    <message>
      <source>share of the training set (log scale)</source>
      <translation>학습 세트 중 사용한 비율 (로그 눈금)</translation>
    </message>
    <message>
      <source>dev ×100</source>
      <translation>검증(dev) ×100</translation>
    </message>
    <message>
      <source>file: {name}</source>
      <translation>파일: {name}</translation>
    </message>
    <message>
      <source>preset: {name}</source>
      <translation>프리셋: {name}</translation>
    </message>
    <message>
      <source>helps</source>
      <translation>도움이 됨</translation>
    </message>
    <message>
      <source>hurts</source>
      <translation>해가 됨</translation>
    </message>
    <message>
      <source>within noise</source>
      <translation>잡음 범위 안</translation>
    </message>
    <message>
      <source>control</source>
      <translation>대조군</translation>
    </message>
    <message>
      <source>Pick a preset or a sweep file and press Run sweep. A rerun skips finished cells.</source>
      <translation>프리셋이나 스윕 파일을 고르고 스윕 실행을 누르십시오. 다시 실행하면 완료된 셀은 건너뜁니다.</translation>
    </message>
    <message>
      <source>Pick a preset or a sweep file and press Run sweep.</source>
      <translation>프리셋이나 스윕 파일을 고르고 스윕 실행을 누르십시오.</translation>
    </message>
    <message>
      <source>Checking the settings and data of {name}…</source>
      <translation>{name}의 설정과 데이터를 확인하는 중…</translation>
    </message>
    <message>
      <source>Stopping after the cells in flight…</source>
      <translation>진행 중인 셀이 끝나면 중지합니다…</translation>
    </message>
    <message>
      <source>Sweep {sweep}: {total} cells, {workers} worker(s); {skipped} cells already done (resumed)</source>
      <translation>스윕 {sweep}: 셀 {total}개, 워커 {workers}개. 셀 {skipped}개는 이미 완료됨 (이어서 실행)</translation>
    </message>
    <message>
      <source>Sweep {sweep}: {total} cells, {workers} worker(s)</source>
      <translation>스윕 {sweep}: 셀 {total}개, 워커 {workers}개</translation>
    </message>
    <message>
      <source>{duration} left</source>
      <translation>{duration} 남음</translation>
    </message>
    <message>
      <source>estimating the time left…</source>
      <translation>남은 시간을 추정하는 중…</translation>
    </message>
    <message>
      <source>Sweep {sweep} {status} in {seconds:.0f} s: {finished} cells run, {failed} failed; the upstream cache saved {saved:.0f} s</source>
      <translation>스윕 {sweep}: {status} ({seconds:.0f} s). 셀 {finished}개 실행, {failed}개 실패. 업스트림 캐시로 {saved:.0f} s를 절약했습니다</translation>
    </message>
    <message>
      <source>The sweep could not run: {message}</source>
      <translation>스윕을 실행할 수 없습니다: {message}</translation>
    </message>
    <message>
      <source>Sweep {sweep} ({name}): {status}. Run it again to resume.</source>
      <translation>스윕 {sweep} ({name}): {status}. 다시 실행하면 이어서 진행합니다.</translation>
    </message>
    <message>
      <source>Sweep {sweep} ({name}): all {total} cells finished.</source>
      <translation>스윕 {sweep} ({name}): 셀 {total}개가 모두 완료되었습니다.</translation>
    </message>
    <message>
      <source>Sweep {sweep} ({name}): {done} of {total} cells finished; Run sweep resumes it (finished cells are skipped).</source>
      <translation>스윕 {sweep} ({name}): 셀 {total}개 중 {done}개 완료. 스윕 실행을 누르면 이어서 진행합니다 (완료된 셀은 건너뜀).</translation>
    </message>
    <message>
      <source>{cells} cells: {arms} arms × {shares} shares of the training set × {seeds} seeds × {encoders} encoders × {datasets} datasets. Press Run sweep.</source>
      <translation>셀 {cells}개: 실험군 {arms}개 × 학습 세트 비율 {shares}개 × 시드 {seeds}개 × 인코더 {encoders}개 × 데이터셋 {datasets}개. 스윕 실행을 누르십시오.</translation>
    </message>
    <message>
      <source>{cells} cells: {arms} arms × {shares} shares of the training set × {seeds} seeds × {encoders} encoders. Press Run sweep.</source>
      <translation>셀 {cells}개: 실험군 {arms}개 × 학습 세트 비율 {shares}개 × 시드 {seeds}개 × 인코더 {encoders}개. 스윕 실행을 누르십시오.</translation>
    </message>
    <message>
      <source>{cells} cells: {arms} arms × {shares} shares of the training set × {seeds} seeds × {datasets} datasets. Press Run sweep.</source>
      <translation>셀 {cells}개: 실험군 {arms}개 × 학습 세트 비율 {shares}개 × 시드 {seeds}개 × 데이터셋 {datasets}개. 스윕 실행을 누르십시오.</translation>
    </message>
    <message>
      <source>{cells} cells: {arms} arms × {shares} shares of the training set × {seeds} seeds. Press Run sweep.</source>
      <translation>셀 {cells}개: 실험군 {arms}개 × 학습 세트 비율 {shares}개 × 시드 {seeds}개. 스윕 실행을 누르십시오.</translation>
    </message>
    <message>
      <source>Sweep file</source>
      <translation>스윕 파일</translation>
    </message>
    <message>
      <source>{share} of train</source>
      <translation>학습 세트의 {share}</translation>
    </message>
    <message>
      <source>worth {worth}</source>
      <translation>가치 {worth}</translation>
    </message>
    <message>
      <source>dev {dev:.1f} ± {dev_sd:.1f}
test {test:.1f} ± {test_sd:.1f} · n={n}</source>
      <translation>검증(dev) {dev:.1f} ± {dev_sd:.1f}
테스트 {test:.1f} ± {test_sd:.1f} · n={n}</translation>
    </message>
    <message>
      <source>worth {worth}: the labelled pairs {control} needs for the same dev score, read off its data-size curve (the arm used {pairs:,})</source>
      <translation>가치 {worth}: {control}이(가) 같은 검증(dev) 점수를 내는 데 필요한 레이블된 쌍의 수로, 그 데이터 크기 곡선에서 읽은 값입니다 (이 실험군은 {pairs:,}개를 사용)</translation>
    </message>
    <message>
      <source>each arm's mean dev score appears here
as its cells finish</source>
      <translation>셀이 끝나는 대로 각 실험군의
평균 검증(dev) 점수가 여기에 나타납니다</translation>
    </message>
    <message>
      <source>Export {kind}</source>
      <translation>{kind} 내보내기</translation>
    </message>
  </context>
  <context>
    <name>Menus</name>
    <message>
      <source>&amp;File</source>
      <translation>파일(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Open run store…</source>
      <translation>실행 저장소 열기(&amp;O)…</translation>
    </message>
    <message>
      <source>&amp;New run store…</source>
      <translation>새 실행 저장소(&amp;N)…</translation>
    </message>
    <message>
      <source>Open &amp;recent</source>
      <translation>최근 항목 열기(&amp;R)</translation>
    </message>
    <message>
      <source>Open &amp;data file…</source>
      <translation>데이터 파일 열기(&amp;D)…</translation>
    </message>
    <message>
      <source>A CSV/TSV/JSONL file of sentence pairs becomes the downstream dataset (or drop the file on the window)</source>
      <translation>문장 쌍이 담긴 CSV/TSV/JSONL 파일을 다운스트림 데이터셋으로 씁니다(파일을 창에 끌어다 놓아도 됩니다)</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Run</source>
      <translation>실행(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Stop</source>
      <translation>중지(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>보기(&amp;V)</translation>
    </message>
    <message>
      <source>&amp;Language</source>
      <translation>언어(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>도움말(&amp;H)</translation>
    </message>
    <message>
      <source>&amp;About Transfer Explorer</source>
      <translation>Transfer Explorer 정보(&amp;A)</translation>
    </message>
    <message>
      <source>Run ({key})</source>
      <translation>실행 ({key})</translation>
    </message>
    <message>
      <source>Pause / resume ({key})</source>
      <translation>일시 정지 / 계속 ({key})</translation>
    </message>
    <message>
      <source>Stop ({key})</source>
      <translation>중지 ({key})</translation>
    </message>
    <message>
      <source>{path} (not found)</source>
      <translation>{path} (찾을 수 없음)</translation>
    </message>
    <message>
      <source>No recent run stores</source>
      <translation>최근 실행 저장소 없음</translation>
    </message>
    <message>
      <source>Clear the list</source>
      <translation>목록 지우기</translation>
    </message>
  </context>
  <context>
    <name>PlaygroundTab</name>
    <message>
      <source>Runs to compare</source>
      <translation>비교할 실행</translation>
    </message>
    <message>
      <source>Tick finished runs: each scores the pair below, side by side.</source>
      <translation>끝난 실행을 체크하십시오. 각 실행이 아래 문장 쌍의 점수를 나란히 냅니다.</translation>
    </message>
    <message>
      <source>Two sentences</source>
      <translation>두 문장</translation>
    </message>
    <message>
      <source>A man is playing a guitar.</source>
      <translation>남자가 기타를 치고 있다.</translation>
    </message>
    <message>
      <source>A guy is playing the guitar.</source>
      <translation>한 남성이 기타를 연주한다.</translation>
    </message>
    <message>
      <source>Solid bar: the predicted score, on the run's own scale (value above). Pale bar: cosine of the two sentence vectors (a cross-encoder has none).</source>
      <translation>진한 막대: 실행 고유의 척도로 나타낸 예측 점수입니다(값은 위에 표시). 옅은 막대: 두 문장 벡터의 코사인입니다(크로스 인코더에는 없습니다).</translation>
    </message>
    <message>
      <source>Many pairs — paste lines of  sentence1 &lt;Tab&gt; sentence2; one score column per ticked run</source>
      <translation>여러 쌍 — 문장1 &lt;Tab&gt; 문장2 형식의 줄을 붙여 넣으십시오. 체크한 실행마다 점수 열이 하나씩 생깁니다</translation>
    </message>
    <message>
      <source>Stop scoring</source>
      <translation>점수 계산 중지</translation>
    </message>
    <message>
      <source>Score all</source>
      <translation>모두 점수 계산</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>CSV 내보내기…</translation>
    </message>
    <message>
      <source>tick a run to score with</source>
      <translation>점수를 낼 실행을 체크하십시오</translation>
    </message>
    <message>
      <source>no finished run yet</source>
      <translation>아직 끝난 실행이 없습니다</translation>
    </message>
    <message>
      <source>Type two sentences above: each ticked run scores them.</source>
      <translation>위에 두 문장을 입력하십시오. 체크한 실행마다 점수를 냅니다.</translation>
    </message>
    <message>
      <source>Tick finished runs on the left.</source>
      <translation>왼쪽에서 끝난 실행을 체크하십시오.</translation>
    </message>
    <message>
      <source>No finished run yet: press Run, and its model appears here.</source>
      <translation>아직 끝난 실행이 없습니다. 실행을 누르면 그 모델이 여기에 나타납니다.</translation>
    </message>
    <message>
      <source>sentence 1</source>
      <translation>문장 1</translation>
    </message>
    <message>
      <source>sentence 2</source>
      <translation>문장 2</translation>
    </message>
    <message>
      <source>score</source>
      <translation>점수</translation>
    </message>
    <message>
      <source>{run} (failed)</source>
      <translation>{run} (실패)</translation>
    </message>
    <message>
      <source>paste lines with a tab between the two sentences</source>
      <translation>두 문장 사이에 탭이 있는 줄을 붙여 넣으십시오</translation>
    </message>
    <message>
      <source>no finished run to score with</source>
      <translation>점수를 낼 끝난 실행이 없습니다</translation>
    </message>
    <message>
      <source>scoring… {done:,} / {total:,} pairs</source>
      <translation>점수 계산 중… {done:,} / {total:,}쌍</translation>
    </message>
    <message>
      <source> · {run} ({index} of {runs})</source>
      <translation> · {run} ({runs}개 중 {index}번째)</translation>
    </message>
    <message>
      <source>{pairs} pairs scored by {runs} runs in {seconds:.1f} s</source>
      <translation>실행 {runs}개로 {pairs}쌍의 점수를 계산했습니다 ({seconds:.1f} s)</translation>
    </message>
    <message>
      <source>{pairs} pairs scored in {seconds:.1f} s</source>
      <translation>{pairs}쌍의 점수를 계산했습니다 ({seconds:.1f} s)</translation>
    </message>
    <message>
      <source> ({failed} could not score)</source>
      <translation> (실행 {failed}개는 점수를 내지 못함)</translation>
    </message>
    <message>
      <source>, {skipped} lines without a tab skipped</source>
      <translation>, 탭이 없는 {skipped}줄은 건너뜀</translation>
    </message>
    <message>
      <source>scoring failed</source>
      <translation>점수 계산 실패</translation>
    </message>
    <message>
      <source>scoring stopped — {done} of {runs} runs scored</source>
      <translation>점수 계산 중지 — 실행 {runs}개 중 {done}개 완료</translation>
    </message>
    <message>
      <source>scoring stopped</source>
      <translation>점수 계산 중지</translation>
    </message>
    <message>
      <source>nothing to export yet</source>
      <translation>아직 내보낼 것이 없습니다</translation>
    </message>
    <message>
      <source>wrote {path}</source>
      <translation>{path}에 저장했습니다</translation>
    </message>
    <message>
      <source>scoring failed: {error}</source>
      <translation>점수 계산 실패: {error}</translation>
    </message>
    <message>
      <source>Export scores</source>
      <translation>점수 내보내기</translation>
    </message>
    <message>
      <source>CSV (*.csv)</source>
      <translation>CSV (*.csv)</translation>
    </message>
  </context>
  <context>
    <name>PredictionsTab</name>
    <message>
      <source>Predicted vs gold (dev)</source>
      <translation>예측 대 정답 (검증(dev))</translation>
    </message>
    <message>
      <source>gold</source>
      <translation>정답</translation>
    </message>
    <message>
      <source>predicted</source>
      <translation>예측</translation>
    </message>
    <message>
      <source>sentence 1</source>
      <translation>문장 1</translation>
    </message>
    <message>
      <source>sentence 2</source>
      <translation>문장 2</translation>
    </message>
    <message>
      <source>error</source>
      <translation>오차</translation>
    </message>
    <message>
      <source>Predictions on the dev set appear after the first evaluation.</source>
      <translation>검증(dev) 세트의 예측은 첫 평가 뒤에 나타납니다.</translation>
    </message>
    <message>
      <source>Dev, best model: {scores}</source>
      <translation>검증(dev), 최고 모델: {scores}</translation>
    </message>
    <message>
      <source>Dev, epoch {epoch}, step {step}: {scores}</source>
      <translation>검증(dev), 에폭 {epoch}, 스텝 {step}: {scores}</translation>
    </message>
  </context>
  <context>
    <name>RangeField</name>
    <message>
      <source>inferred from the data</source>
      <translation>데이터에서 추정</translation>
    </message>
    <message>
      <source>{label}: expected 'low, high', got {text!r}</source>
      <translation>{label}: 'low, high' 형식이어야 하는데 {text!r}입니다</translation>
    </message>
  </context>
  <context>
    <name>RunController</name>
    <message>
      <source>Run {run} failed: {error}</source>
      <translation>실행 {run} 실패: {error}</translation>
    </message>
  </context>
  <context>
    <name>RunStatus</name>
    <message>
      <source>queued</source>
      <translation>대기 중</translation>
    </message>
    <message>
      <source>not run</source>
      <translation>실행 전</translation>
    </message>
    <message>
      <source>done earlier</source>
      <translation>이전에 완료</translation>
    </message>
    <message>
      <source>{stage} {percent}%</source>
      <translation>{stage} {percent}%</translation>
    </message>
  </context>
  <context>
    <name>ScoreBars</name>
    <message>
      <source>share of scale · cosine</source>
      <translation>척도 대비 비율 · 코사인</translation>
    </message>
    <message>
      <source>model cannot
load</source>
      <translation>모델을
불러올 수 없음</translation>
    </message>
    <message>
      <source>scoring
failed</source>
      <translation>점수 계산
실패</translation>
    </message>
    <message>
      <source>no cosine</source>
      <translation>코사인 없음</translation>
    </message>
    <message>
      <source>cos {cosine:+.2f}</source>
      <translation>cos {cosine:+.2f}</translation>
    </message>
  </context>
  <context>
    <name>ScorerCache</name>
    <message>
      <source>run {run}: cannot load its model ({reason})</source>
      <translation>실행 {run}: 모델을 불러올 수 없습니다 ({reason})</translation>
    </message>
    <message>
      <source>run {run} was deleted</source>
      <translation>실행 {run}은(는) 삭제되었습니다</translation>
    </message>
    <message>
      <source>run {run}: scoring failed ({reason})</source>
      <translation>실행 {run}: 점수 계산에 실패했습니다 ({reason})</translation>
    </message>
  </context>
  <context>
    <name>ScoresModel</name>
    <message>
      <source>cosine of the sentence vectors {cosine:+.3f}</source>
      <translation>문장 벡터의 코사인 {cosine:+.3f}</translation>
    </message>
  </context>
  <context>
    <name>TrainingTab</name>
    <message>
      <source>train loss</source>
      <translation>학습 손실</translation>
    </message>
    <message>
      <source>dev accuracy</source>
      <translation>검증(dev) 정확도</translation>
    </message>
    <message>
      <source>dev masked-token accuracy</source>
      <translation>검증(dev) 마스크 토큰 정확도</translation>
    </message>
    <message>
      <source>dev next-token accuracy</source>
      <translation>검증(dev) 다음 토큰 정확도</translation>
    </message>
    <message>
      <source>dev Spearman</source>
      <translation>검증(dev) 스피어만</translation>
    </message>
    <message>
      <source>dev Pearson</source>
      <translation>검증(dev) 피어슨</translation>
    </message>
    <message>
      <source>dev F1</source>
      <translation>검증(dev) F1</translation>
    </message>
    <message>
      <source>Upstream · training loss</source>
      <translation>업스트림 · 학습 손실</translation>
    </message>
    <message>
      <source>loss</source>
      <translation>손실</translation>
    </message>
    <message>
      <source>Upstream · dev metric</source>
      <translation>업스트림 · 검증(dev) 지표</translation>
    </message>
    <message>
      <source>Downstream · training loss</source>
      <translation>다운스트림 · 학습 손실</translation>
    </message>
    <message>
      <source>Downstream · dev metric</source>
      <translation>다운스트림 · 검증(dev) 지표</translation>
    </message>
    <message>
      <source>step</source>
      <translation>스텝</translation>
    </message>
    <message>
      <source>Log</source>
      <translation>로그</translation>
    </message>
    <message>
      <source>waiting for the first points…</source>
      <translation>첫 점을 기다리는 중…</translation>
    </message>
    <message>
      <source>upstream loaded from the cache</source>
      <translation>업스트림을 캐시에서 불러왔습니다</translation>
    </message>
    <message>
      <source>no points recorded</source>
      <translation>기록된 점이 없습니다</translation>
    </message>
    <message>
      <source>Ready. Choose an experiment and press Run.</source>
      <translation>준비되었습니다. 실험을 고르고 실행을 누르십시오.</translation>
    </message>
    <message>
      <source>Starting…</source>
      <translation>시작하는 중…</translation>
    </message>
    <message>
      <source>{stage}: step {done}/{total} · {detail} · ETA {eta}</source>
      <translation>{stage}: 스텝 {done}/{total} · {detail} · 남은 시간 {eta}</translation>
    </message>
    <message>
      <source>Run {run} {status} in {seconds:.1f} s</source>
      <translation>실행 {run}: {status} ({seconds:.1f} s)</translation>
    </message>
    <message>
      <source>Run {run} failed: {error}</source>
      <translation>실행 {run} 실패: {error}</translation>
    </message>
    <message>
      <source>{stage} — from the cache</source>
      <translation>{stage} — 캐시에서</translation>
    </message>
    <message>
      <source>epoch {epoch} · {speed:.0f} ex/s</source>
      <translation>에폭 {epoch} · 초당 {speed:.0f}개</translation>
    </message>
    <message>
      <source>{message} ({done:.0f} of {total:.0f} MB)</source>
      <translation>{message} ({total:.0f} MB 중 {done:.0f} MB)</translation>
    </message>
    <message>
      <source>{stage} epoch {epoch}, step {step} dev: {scores}</source>
      <translation>{stage} 에폭 {epoch}, 스텝 {step} 검증(dev): {scores}</translation>
    </message>
    <message>
      <source>best model on {split}: {scores}</source>
      <translation>{split}에서 최고 모델: {scores}</translation>
    </message>
    <message>
      <source>✓ {stage} done in {seconds:.1f} s (cached)</source>
      <translation>✓ {stage} 완료, {seconds:.1f} s (캐시)</translation>
    </message>
    <message>
      <source>✓ {stage} done in {seconds:.1f} s</source>
      <translation>✓ {stage} 완료, {seconds:.1f} s</translation>
    </message>
  </context>
  <context>
    <name>save_png</name>
    <message>
      <source>Export</source>
      <translation>내보내기</translation>
    </message>
    <message>
      <source>could not draw {path} as a PNG image</source>
      <translation>{path}을(를) PNG 이미지로 그릴 수 없습니다</translation>
    </message>
  </context>
</TS>