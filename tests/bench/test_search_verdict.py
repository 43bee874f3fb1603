"""The bench's search verdict (bench/run.py): it reads the instructions' ratio where callgrind
counted them, else ×floor's, and a miss says when the larger size found more people."""

from __future__ import annotations

from bench.instructions import _summary
from bench.run import TARGET_SEARCH_RATIO, search_markdown, search_verdict

CAPPED = "1,000+ matches for “an”"


def row(shown: str, instructions: float | None = None) -> dict:
    return {"shown": shown, "instructions_m": instructions}


def test_the_instructions_ratio_decides_where_it_was_counted():
    # ×floor says 1.3 (a noisy minute), the instructions say 1.01: met.
    assert search_verdict(row(CAPPED, 54.0), row(CAPPED, 54.5), 1.3, 1.01) == "met"
    assert search_verdict(row(CAPPED, 54.0), row(CAPPED, 70.0), 1.0, 1.3) == "MISSED"


def test_without_instructions_the_floor_ratio_decides():
    assert search_verdict(row(CAPPED), row(CAPPED), TARGET_SEARCH_RATIO, None) == "met"
    assert search_verdict(row(CAPPED), row(CAPPED), 1.25, None) == "MISSED"


def test_a_miss_names_the_matches_when_the_larger_book_found_more():
    verdict = search_verdict(
        row("44 matches for “mar son”"), row("501 matches for “mar son”"), 1.2, 1.23
    )
    assert verdict == "MISSED: 11× the matches (44 → 501)"
    # The same answer at both sizes: a plain miss.
    assert search_verdict(row("5 matches"), row("5 matches"), 1.0, 1.2) == "MISSED"


def test_the_table_shows_both_ratios():
    data = {
        "sizes": [
            {
                "contacts": size,
                "floor_cpu_ms": 3.0,
                "floor_instructions_m": 10.0,
                "terms": {
                    "an": {
                        "median_cpu_ms": cpu,
                        "x_floor": cpu / 3.0,
                        "queries": 7,
                        "shown": CAPPED,
                        "instructions_m": instructions,
                    }
                },
            }
            for size, cpu, instructions in [(10_000, 11.0, 53.5), (100_000, 12.5, 54.2)]
        ]
    }
    table = "\n".join(search_markdown({"sqlite": data}))
    assert "| sqlite | `an` | 100,000 | 7 | 12.5 | 4.2 | 54.2 | " in table
    assert "| 1.14× | 1.01× | met |" in table


def test_a_dump_is_read_by_its_own_summary(tmp_path):
    part = tmp_path / "callgrind.out.1"
    part.write_text("events: Ir\nsummary: 51250526\nfn=(1) main\n0 5\ntotals: 184872559\n")
    assert _summary(part) == 51_250_526
