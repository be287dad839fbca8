#!/bin/sh
# Make .venv with the PyTorch build this machine needs, then install the app into it.
#   ./setup.sh        the app
#   ./setup.sh test   the app and everything the tests and checks use (test, models, cluster,
#                     export, bench, onnx and dev extras)
# On Linux without an NVIDIA GPU the CPU build of PyTorch is taken (~200 MB instead of
# several GB of CUDA libraries); elsewhere pip's default build is the right one.
set -e
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
    if [ "$(uname -s)" = Linux ] && ! command -v nvidia-smi >/dev/null 2>&1; then
        .venv/bin/pip install "torch>=2.2,<3" --index-url https://download.pytorch.org/whl/cpu
    fi
fi
case "${1:-}" in
    "") .venv/bin/pip install -e . ;;
    test) .venv/bin/pip install -e ".[test,models,cluster,export,bench,onnx,dev]" ;;
    *) echo "usage: ./setup.sh [test]" >&2; exit 2 ;;
esac
