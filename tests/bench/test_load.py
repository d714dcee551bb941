"""The load benchmark's pure parts: reading wrk's figures, choosing the median run, summing memory."""

import pytest

from bench.load import (
    WrkResult,
    load_database_url,
    median_run,
    memory_summary,
    parse_wrk,
    per_minute,
    reading_paths,
)

WRK_OUTPUT = """Running 15s test @ http://127.0.0.1:41234
  2 threads and 16 connections
  4210 requests in 15.02s, 80.12MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    280.29
WRKJSON {"requests": 4210, "duration_us": 15020000, "p50_us": 52310, "p99_us": 181200, "max_us": 402000, \
"non2xx": 3, "first_bad_status": 502, "connect": 0, "read": 2, "write": 0, "timeout": 1}
"""


def _run(requests: int, seconds: float = 10.0) -> WrkResult:
    return WrkResult(requests, seconds, 1.0, 2.0, 3.0, 0, 0, 0)


def test_parse_wrk_reads_the_figures_of_the_lua_done_line():
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests == 4210
    assert result.rps == pytest.approx(4210 / 15.02)
    assert (result.p50_ms, result.p99_ms, result.max_ms) == (52.31, 181.2, 402.0)
    assert result.first_bad_status == 502


def test_errors_count_non_2xx_responses_and_socket_errors():
    assert parse_wrk(WRK_OUTPUT).errors == 3 + 2 + 1


def test_parse_wrk_refuses_output_without_the_figures_line():
    with pytest.raises(ValueError, match="no WRKJSON line"):
        parse_wrk("Running 15s test @ http://127.0.0.1:1\nunable to connect to 127.0.0.1:1 Connection refused\n")


def test_median_run_is_the_middle_throughput_and_the_lower_middle_for_an_even_count():
    assert median_run([_run(300), _run(100), _run(200)]).requests == 200
    assert median_run([_run(400), _run(100), _run(300), _run(200)]).requests == 200


def test_memory_summary_gives_first_last_and_max_per_process_and_skips_unsampled_ones():
    summary = memory_summary({101: [90_000, 95_000, 92_000], 102: [], 103: [80_000]})
    assert summary == {101: (90_000, 92_000, 95_000), 103: (80_000, 80_000, 80_000)}


def test_load_database_sits_beside_the_configured_one_unless_named():
    url = "postgres://postgres:secret@127.0.0.1:5432/vetted?sslmode=disable"
    assert load_database_url(url) == "postgres://postgres:secret@127.0.0.1:5432/vetted_load?sslmode=disable"
    assert load_database_url(url, "big").endswith("/big?sslmode=disable")


def test_readers_walk_the_answer_pages_with_the_list_and_a_search_in_turn():
    pages = [f"/answers/a{i}/" for i in range(1, 11)]
    paths = reading_paths(pages, search="/answers/?q=iron", every=5)
    assert paths == [*pages[:5], "/answers/", *pages[5:], "/answers/?q=iron"]


def test_per_minute_keeps_the_first_sample_and_one_per_whole_minute():
    trace = [(0.0, 1.0), (10.0, 2.0), (59.9, 3.0), (60.2, 4.0), (70.0, 5.0), (125.0, 6.0), (130.0, 7.0)]
    assert per_minute(trace) == [(0.0, 1.0), (60.2, 4.0), (125.0, 6.0)]
