# Convenience entry points; the build itself is CMake (see CMakeLists.txt).
#   make demo   install Debian deps, build, run the default policy on sample posts
#   make check  install Debian deps, build, run the whole test suite (normal,
#               then ASan+UBSan), and each fuzz target for a bounded time
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build

.PHONY: all deps build demo check test asan fuzz bench bench-quick bench-profile install clean

all: build

deps:
	@./scripts/bootstrap

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./scripts/demo $(BUILD)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

check: deps
	./scripts/check

# throughput benchmark on 1,000,000 generated posts (see bench/README.md)
bench: deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j $(JOBS) --target arbiter-cli
	./bench/run.sh --build build-bench $(BENCH_ARGS)

bench-quick: deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j $(JOBS) --target arbiter-cli
	./bench/run.sh --build build-bench --count 10000 --runs 1

bench-profile: deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j $(JOBS) --target arbiter-cli
	./bench/profile.sh --build build-bench --count 100000

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) build-asan build-fuzz build-bench
