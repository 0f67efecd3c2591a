"""Kept uploads: an ended session's file is swept once it is a day old."""

import os
import time

from planner_ui.state import UPLOAD_HOURS, forget_old_uploads


def test_old_sessions_uploads_are_swept_and_this_sessions_and_recent_ones_stay(tmp_path):
    now = time.time()
    old, recent, mine = (tmp_path / name for name in ("old", "recent", "mine"))
    for folder in (old, recent, mine):
        folder.mkdir()
        (folder / "x.upload").write_bytes(b"tickets")
    day_ago = now - UPLOAD_HOURS * 3600 - 60
    for folder in (old, mine):
        os.utime(folder, (day_ago, day_ago))
    forget_old_uploads(tmp_path, keep=mine, now=now)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "recent"]
