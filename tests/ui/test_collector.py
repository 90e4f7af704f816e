"""The garbage collector's full passes wait for an idle moment while the app runs."""

from __future__ import annotations

import asyncio
import gc

import pytest

from reader.ui import collector
from reader.ui.app import ReaderApp
from reader.ui.collector import IdleCollector

from ui_helpers import SIZE, settle


# The scheme itself is for CPython 3.11-3.13's generational collector; elsewhere
# the app leaves the collector alone (the first test).
generational = pytest.mark.skipif(not collector.SUPPORTED, reason="needs CPython 3.11-3.13's generational collector")


def test_elsewhere_the_automatic_collector_is_left_alone(monkeypatch) -> None:
    monkeypatch.setattr(collector, "SUPPORTED", False)
    before = gc.get_threshold()
    idle = IdleCollector()
    idle.attach()
    assert gc.get_threshold() == before
    make_due()
    idle.last_input -= 10
    assert not idle.tick(busy=False)
    idle.detach()
    assert gc.get_threshold() == before


def make_due(passes: int = collector.DUE) -> None:
    gc.collect()  # a clean start: the third count is zero
    for _ in range(passes):
        gc.collect(1)  # each pass over the middle generation counts towards a full one


@generational
def test_attach_stops_automatic_full_passes_and_detach_restores() -> None:
    before = gc.get_threshold()
    idle = IdleCollector()
    idle.attach()
    try:
        assert gc.get_threshold()[:2] == before[:2]  # young passes as before
        assert gc.get_threshold()[2] == collector.NEVER
    finally:
        idle.detach()
    assert gc.get_threshold() == before


@generational
def test_full_pass_only_when_due_idle_and_not_busy() -> None:
    idle = IdleCollector()
    idle.attach()
    try:
        make_due(collector.DUE - 1)
        idle.last_input -= 10
        assert not idle.tick(busy=False)  # not due yet
        make_due()
        idle.input()  # a key just now
        assert not idle.tick(busy=False)
        idle.last_input -= collector.IDLE_SECONDS + 1
        assert not idle.tick(busy=True)  # a worker runs
        assert idle.tick(busy=False)
        assert idle.full == 1
        assert gc.get_count()[2] == 0
    finally:
        idle.detach()


@generational
def test_an_overdue_pass_runs_even_while_busy() -> None:
    idle = IdleCollector()
    idle.attach()
    try:
        make_due(collector.OVERDUE)
        idle.input()
        assert idle.tick(busy=True)
    finally:
        idle.detach()


@generational
async def test_the_app_collects_when_idle_and_restores_on_exit(app: ReaderApp) -> None:
    before = gc.get_threshold()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.get_threshold()[2] == collector.NEVER
        make_due()
        for _ in range(40):  # idle: no key, no worker
            await asyncio.sleep(collector.TICK_SECONDS / 2)
            if app.collector.full:
                break
        assert app.collector.full >= 1
    assert gc.get_threshold() == before
