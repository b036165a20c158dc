"""The parsing child still answers when the serving process holds more than 1024 descriptors.

A long-running ``serve`` accumulates sockets; ``select`` refuses a descriptor above 1023, which
aborted ingests ("filedescriptor out of range in select()"). The child's pipe is read with poll.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingestion.sandbox import Limits, ParserSandbox

HELD = 1100


@pytest.fixture
def many_descriptors() -> Iterator[None]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < HELD + 200:
        pytest.skip(f"the hard descriptor limit ({hard}) is below {HELD + 200}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, HELD + 200), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(HELD)]
    try:
        yield
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.mark.usefixtures("many_descriptors")
def test_a_document_parses_when_the_pipe_descriptor_is_above_1023(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("# Ward rota\n\nThe rota is agreed every Friday by the ward sister.\n")
    with ParserSandbox(Limits(cpu_s=30, wall_s=30)) as child:
        parsed = child.parse(note, "markdown", note.name)
        assert child_pipe_above_select_limit(child)
    assert "agreed every Friday" in "\n".join(block.text for block in parsed.blocks)


def child_pipe_above_select_limit(child: ParserSandbox) -> bool:
    """Whether the child's reply pipe really sits above ``select``'s limit (the case tested)."""
    proc = child._proc  # noqa: SLF001 - the descriptor under test
    return proc is not None and proc.stdout is not None and proc.stdout.fileno() >= 1024
