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

# Proposal dossiers: a 500-nominee dossier appraised, and the dossier list among 50,000 dossiers (see
# docs/benchmarks.md). Their own scratch databases with the default 5,000-person demo province; every
# dossier the command writes is rolled back, so they keep only the province between runs.
DOSSIERS_PG_DB := thidua_bench_dossiers
DOSSIERS_PG_URL ?= postgres://postgres@127.0.0.1:5432/$(DOSSIERS_PG_DB)

.PHONY: bench-dossiers bench-dossiers-pg

bench-dossiers:
	mkdir -p $(BENCH_DIR)
	DATABASE_URL=sqlite:///$(BENCH_DIR)/dossiers.sqlite3 THIDUA_HOME=$(BENCH_DIR) $(THIDUA) bench_dossiers $(BENCH_ARGS)

bench-dossiers-pg:
	mkdir -p $(BENCH_DIR)
	psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(DOSSIERS_PG_DB)'" \
		| grep -q 1 || createdb -h 127.0.0.1 -U postgres $(DOSSIERS_PG_DB)
	DATABASE_URL=$(DOSSIERS_PG_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) bench_dossiers $(BENCH_ARGS)

# The discovery page (appraisal:discovery, /tham-dinh/phat-hien/) for the province-wide specialist and a unit
# officer, target p95 < 500 ms (see docs/benchmarks.md). Their own scratch databases with the default
# 5,000-person demo province, loaded on the first run: `thidua demo` changes nothing once it is there.
DISCOVERY_SQLITE_URL := sqlite:///$(BENCH_DIR)/discovery.sqlite3
DISCOVERY_PG_DB := thidua_bench_discovery
DISCOVERY_PG_URL ?= postgres://postgres@127.0.0.1:5432/$(DISCOVERY_PG_DB)

.PHONY: bench-discovery bench-discovery-pg

bench-discovery:
	mkdir -p $(BENCH_DIR)
	DATABASE_URL=$(DISCOVERY_SQLITE_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) migrate --verbosity 0
	DATABASE_URL=$(DISCOVERY_SQLITE_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) demo > /dev/null
	DATABASE_URL=$(DISCOVERY_SQLITE_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) bench_discovery $(BENCH_ARGS)

bench-discovery-pg:
	mkdir -p $(BENCH_DIR)
	psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(DISCOVERY_PG_DB)'" \
		| grep -q 1 || createdb -h 127.0.0.1 -U postgres $(DISCOVERY_PG_DB)
	DATABASE_URL=$(DISCOVERY_PG_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) migrate --verbosity 0
	DATABASE_URL=$(DISCOVERY_PG_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) demo > /dev/null
	DATABASE_URL=$(DISCOVERY_PG_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) bench_discovery $(BENCH_ARGS)

# The load test: 200 users on the served demo province (loadtest/locustfile.py), SQLite and PostgreSQL.
# LOAD_ARGS="--ref <commit>" measures that commit first in the same session, for a before/after figure.
LOAD_ARGS ?=

.PHONY: bench-load bench-load-pg

$(VENV)/bin/locust:
	$(VENV)/bin/python -m pip install -q -e ".[load]"

bench-load: $(VENV)/bin/locust
	$(VENV)/bin/python loadtest/run.py --database sqlite $(LOAD_ARGS)

bench-load-pg: $(VENV)/bin/locust
	$(VENV)/bin/python loadtest/run.py --database postgres $(LOAD_ARGS)

# The movement page and the dashboard with a movement of 1,000 units × 20 criteria × 12 periods (issue 10,
# target p95 < 300 ms with a constant number of queries; docs/benchmarks.md). Its own scratch database.
.PHONY: bench-movements

bench-movements:
	mkdir -p $(BENCH_DIR)
	DATABASE_URL=sqlite:///$(BENCH_DIR)/movements.sqlite3 THIDUA_HOME=$(BENCH_DIR) $(THIDUA) bench_movements $(BENCH_ARGS)

.PHONY: bench-blocs

bench-blocs:
	mkdir -p $(BENCH_DIR)
	DATABASE_URL=sqlite:///$(BENCH_DIR)/blocs.sqlite3 THIDUA_HOME=$(BENCH_DIR) $(THIDUA) bench_blocs $(BENCH_ARGS)

# Every benchmark, then one table: measure, floor, ratio, target, pass/fail (scripts/bench_all.py).
# BENCH_ALL_ARGS="--ref <commit>" adds the load test's requests-per-second gain over that commit.
BENCH_ALL_ARGS ?=

.PHONY: bench-all

bench-all: $(VENV)/bin/locust
	$(VENV)/bin/python scripts/bench_all.py $(BENCH_ALL_ARGS)

# The central statistical forms 0601–0605 (thidua/statistics), each for the whole province and for one
# department, target < 5 s per form at about a million award records (see docs/statistics.md). Their own
# scratch databases with a 140,000-person demo province (about 1.3 million award records), loaded on the
# first run; the command only reads.
STATS_SQLITE_URL := sqlite:///$(BENCH_DIR)/statistics.sqlite3
STATS_PG_DB := thidua_bench_statistics
STATS_PG_URL ?= postgres://postgres@127.0.0.1:5432/$(STATS_PG_DB)

.PHONY: bench-statistics bench-statistics-pg

bench-statistics:
	mkdir -p $(BENCH_DIR)
	DATABASE_URL=$(STATS_SQLITE_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) migrate --verbosity 0
	DATABASE_URL=$(STATS_SQLITE_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) bench_statistics $(BENCH_ARGS)

bench-statistics-pg:
	mkdir -p $(BENCH_DIR)
	psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(STATS_PG_DB)'" \
		| grep -q 1 || createdb -h 127.0.0.1 -U postgres $(STATS_PG_DB)
	DATABASE_URL=$(STATS_PG_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) migrate --verbosity 0
	DATABASE_URL=$(STATS_PG_URL) THIDUA_HOME=$(BENCH_DIR) $(THIDUA) bench_statistics $(BENCH_ARGS)
