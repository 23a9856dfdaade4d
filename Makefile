# Two entry points do all set-up on a fresh machine (Python 3.11+ and a C compiler):
#   make run    installs what is needed into .venv and opens the practice app
#   make test   installs what is needed into .venv and runs the test suite
# Both are idempotent: the venv is (re)installed only when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# llama-cpp-python compiles llama.cpp: a -march=native build emits AMX tile
# instructions that die with SIGILL on virtualised Xeons, so pin the ISA.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
# No telemetry from onnxruntime, ever (Chroma's is switched off in code).
export ORT_DISABLE_TELEMETRY := 1

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/talentsync demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/bench_engine.py

lint: $(STAMP)
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache
