"""`python -m benchmarks library`: the library benchmark (see benchmarks/library_workload.py,
`make bench`).

Adds `--resources` generated resources to the configured database, sends a fixed mix of library
requests through the whole Django stack, prints p50/p95/max and queries per request for each
scenario, the peak memory and the generation time, and fails when a goal is missed: the p95 of
all requests (100 ms on PostgreSQL, 200 ms on SQLite unless --goal-p95 says otherwise) and queries
per request that do not grow with the number of resources (compared with the same mix run before
the resources are added).

Run it against a throwaway database: `make bench` does, on SQLite and on PostgreSQL.
"""

import os
import sqlite3
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks import library_workload as benchmark
from resources.models import ResourceSearchDocument

DEFAULT_GOALS_MS = {"postgresql": 100.0, "sqlite": 200.0}
MEGABYTE = 1024 * 1024


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Benchmark the resource library: generate resources in bulk, then time a fixed mix of "
        "library requests. Writes to the configured database: use a throwaway one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--resources", type=int, default=10_000, help="resources to generate (default 10000)"
        )
        parser.add_argument(
            "--requests", type=positive, default=200, help="library requests (default 200)"
        )
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument(
            "--batch-size", type=positive, default=1000, help="resources written per batch"
        )
        parser.add_argument(
            "--setup",
            action="store_true",
            help="migrate and load the demo content first (for a new, empty database)",
        )
        parser.add_argument(
            "--goal-p95",
            type=float,
            default=None,
            help="p95 goal in ms for all requests (default: 100 on PostgreSQL, 200 on SQLite)",
        )
        parser.add_argument(
            "--allow-default-database",
            action="store_true",
            help="run even though DATABASE_URL is not set (the development database)",
        )

    def say(self, text=""):
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args, **options):
        if not os.environ.get("DATABASE_URL") and not options["allow_default_database"]:
            raise CommandError(
                "DATABASE_URL is not set, so this would add resources to the development "
                "database. Point DATABASE_URL at a throwaway database (`make bench` does), or "
                "pass --allow-default-database."
            )
        if options["resources"] < 0:
            raise CommandError("--resources must be 0 or more.")
        if options["setup"]:
            started = time.perf_counter()
            call_command("migrate", interactive=False, verbosity=0)
            with open(os.devnull, "w") as quiet:
                call_command("load_demo", verbosity=0, stdout=quiet)
            self.say(
                f"Database set up (migrate, load_demo) in {time.perf_counter() - started:.1f} s"
            )
        try:
            library = benchmark.english_library()
        except LookupError as error:
            raise CommandError(str(error)) from error

        try:
            self.benchmark(library, options)
        except benchmark.RequestFailed as error:
            raise CommandError(f"The library page failed: {error}") from error

    def benchmark(self, library, options):
        seed, count = options["seed"], options["requests"]
        before = ResourceSearchDocument.objects.filter(library_id=library.pk).count()
        baseline = benchmark.queries_by_scenario(
            benchmark.run_requests(library, benchmark.build_requests(library, count, seed))
        )

        generation = benchmark.generate_resources(
            options["resources"],
            seed=seed,
            batch_size=options["batch_size"],
            library=library,
            log=self.say if options["verbosity"] > 1 else None,
        )
        total = ResourceSearchDocument.objects.filter(library_id=library.pk).count()
        requests = benchmark.build_requests(library, count, seed)
        measurements = benchmark.run_requests(library, requests)
        request_memory = benchmark.peak_request_memory(library, requests)
        rows = benchmark.summarise(measurements)

        self.say()
        self.say(
            f"Library benchmark on {database_description()}: {generation.count:,} resources "
            f"generated, {total:,} in the library, {len(requests)} requests, seed {seed}"
        )
        rate = generation.count / generation.seconds if generation.seconds else 0
        self.say(f"Generation: {generation.seconds:.1f} s ({rate:,.0f} resources per second)")
        self.say()
        self.say(benchmark.format_table(rows))
        self.say()
        self.say(
            f"Peak memory: process {benchmark.process_peak_memory() / MEGABYTE:,.0f} MB "
            f"(ru_maxrss, generation included); one request at most "
            f"{request_memory / MEGABYTE:.1f} MB (tracemalloc)"
        )

        missed = []
        goal = options["goal_p95"] or DEFAULT_GOALS_MS.get(connection.vendor)
        p95 = rows[-1].p95
        if goal is not None:
            verdict = "met" if p95 <= goal else "MISSED"
            self.say(f"Goal p95 <= {goal:g} ms for all requests: {verdict} ({p95:.1f} ms)")
            if p95 > goal:
                slowest = max(rows[:-1], key=lambda row: row.p95)
                missed.append(
                    f"p95 {p95:.1f} ms > {goal:g} ms (slowest scenario: {slowest.scenario}, "
                    f"p95 {slowest.p95:.1f} ms)"
                )
        # Pages that found something: one without results loads no resources (fewer queries).
        grown = []
        for scenario, (fewest, most) in benchmark.queries_by_scenario(measurements).items():
            before_fewest, before_most = baseline.get(scenario, (fewest, most))
            if most > before_most:
                grown.append(f"{scenario}: {before_fewest}–{before_most} → {fewest}–{most}")
        verdict = "MISSED" if grown else "met"
        self.say(
            f"Goal queries per request constant in N ({before:,} → {total:,} resources): {verdict}"
            + (f" ({'; '.join(grown)})" if grown else "")
        )
        if grown:
            missed.append("queries per request grow with N: " + "; ".join(grown))
        if missed:
            raise CommandError("Benchmark goal missed: " + " | ".join(missed))


def database_description():
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor
