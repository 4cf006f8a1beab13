# The two commands a newcomer needs; everything else is in scripts/.
.PHONY: run test build bench bench-lambda bench-catalog bench-orders clean

run:
	scripts/run.sh

test:
	scripts/test.sh

build:
	scripts/install-deps.sh
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DMERCATO_BUILD_TESTS=OFF
	cmake --build build/release -j $$(nproc) --target mercato

bench: build
	bench/cold_start.sh build/release/mercato
	bench/lambda_cold_start.sh build/release/mercato
	bench/catalog.sh build/release/mercato
	bench/orders.sh build/release/mercato

# Only the Lambda cold start (process start to the first answered invocation; under a minute).
bench-lambda: build
	bench/lambda_cold_start.sh build/release/mercato

# Only the catalog listing benchmark (wrk and pgbench, SQLite and PostgreSQL; about 5 minutes).
bench-catalog: build
	bench/catalog.sh build/release/mercato

# Only order placement (wrk and pgbench, SQLite and PostgreSQL; about 5 minutes).
bench-orders: build
	bench/orders.sh build/release/mercato

clean:
	rm -rf build
