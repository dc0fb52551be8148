# Benchmarks of the product on a scaled demo province (see docs/benchmarks.md).
# Both targets work on scratch databases only: ./bench-data/ for SQLite, thidua_bench for PostgreSQL.

VENV ?= .venv
THIDUA := $(VENV)/bin/thidua
BENCH_DIR := $(CURDIR)/bench-data
BENCH_ARGS ?=
PG_URL ?= postgres://postgres@127.0.0.1:5432/thidua_bench

.PHONY: bench bench-pg bench-eligibility

bench:
	mkdir -p $(BENCH_DIR)
	DATABASE_URL=sqlite:///$(BENCH_DIR)/bench.sqlite3 THIDUA_HOME=$(BENCH_DIR) $(THIDUA) bench $(BENCH_ARGS)

bench-pg:
	mkdir -p $(BENCH_DIR)
	psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'thidua_bench'" \
		| grep -q 1 || createdb -h 127.0.0.1 -U postgres thidua_bench
	DATABASE_URL=$(PG_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) bench $(BENCH_ARGS)

# The eligibility engine alone: every individual of a 50,000-person province, every title and form.
bench-eligibility:
	$(VENV)/bin/python -m thidua.eligibility.bench --people 50000
