"""The worker pool's watchdog: hung, crashing and failing tasks never stop the run."""

from workers import square_or_hang

from logicmine.parallel import run_tasks


def test_results_of_every_task_come_back():
    outcomes = list(run_tasks(square_or_hang, [(str(i), i) for i in range(10)], jobs=2,
                              timeout=30))
    assert sorted(o.result for o in outcomes) == [i * i for i in range(10)]


def test_hung_task_is_killed_and_the_rest_complete():
    tasks = [("a", 2), ("h", "hang"), ("b", 3), ("c", 4)]
    outcomes = {o.key: o for o in run_tasks(square_or_hang, tasks, jobs=2, timeout=1.5)}
    assert outcomes["h"].timed_out and outcomes["h"].result is None
    assert [outcomes[k].result for k in "abc"] == [4, 9, 16]


def test_crashing_and_raising_tasks_are_reported():
    tasks = [("d", "die"), ("x", "boom"), ("ok", 5)]
    outcomes = {o.key: o for o in run_tasks(square_or_hang, tasks, jobs=1, timeout=20)}
    assert outcomes["d"].error.startswith("worker died")
    assert "ValueError: bad input" in outcomes["x"].error
    assert outcomes["ok"].result == 25
