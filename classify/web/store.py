"""Every annotation decision, stored at once and durably in SQLite.

Each decision is one committed row (``synchronous=FULL``, write-ahead log): once the
page has been told "saved", the decision survives ``kill -9`` of the server or a power
cut. Undo is a row too (the decision it takes back is marked, never deleted), so the
database is the whole history: who decided what, when, what the model suggested, with
which scores, and whether the sentence was picked for its uncertainty or at random.
"""

import json
import sqlite3
import threading
import time

SCHEMA = """
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (doc, position)
);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id),
    action TEXT NOT NULL CHECK (action IN ('label', 'skip')),
    label TEXT,
    annotator TEXT NOT NULL,
    at REAL NOT NULL,
    suggestion TEXT,
    scores TEXT,
    pick TEXT,
    undone_at REAL
);
CREATE INDEX IF NOT EXISTS decisions_active ON decisions (sentence_id) WHERE undone_at IS NULL;
"""


class AnnotationStore:
    """The SQLite file of an annotation session (created if missing, resumed if not)."""

    def __init__(self, path):
        self.path = str(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)

    def close(self):
        with self._lock:
            self._db.close()

    def add_sentences(self, rows):
        """Insert the archive's sentences (those already stored are kept); returns all, by id."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR IGNORE INTO sentences (doc, position, text) VALUES (?, ?, ?)",
                                 [(r["doc"], r["position"], r["text"]) for r in rows])
            self._db.execute("COMMIT")
            found = self._db.execute("SELECT id, doc, position, text FROM sentences ORDER BY id").fetchall()
        return [{"id": i, "doc": d, "position": p, "text": t} for i, d, p, t in found]

    def record(self, sentence_id, action, label, annotator, suggestion=None, scores=None, pick=None):
        """Store one decision and return its id once it is on disk (None if the sentence
        already has a decision in force, e.g. from a second browser tab)."""
        with self._lock:
            if self._db.execute("SELECT 1 FROM decisions WHERE sentence_id = ? AND undone_at IS NULL",
                                (sentence_id,)).fetchone():
                return None
            cursor = self._db.execute(
                "INSERT INTO decisions (sentence_id, action, label, annotator, at, suggestion, scores, pick) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (sentence_id, action, label, annotator, time.time(), suggestion,
                 None if scores is None else json.dumps(scores), pick))
            return cursor.lastrowid

    def undo(self):
        """Take back the latest decision still in force; returns its sentence id, or None."""
        with self._lock:
            row = self._db.execute("SELECT id, sentence_id FROM decisions WHERE undone_at IS NULL "
                                   "ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                return None
            self._db.execute("UPDATE decisions SET undone_at = ? WHERE id = ?", (time.time(), row[0]))
            return row[1]

    def decided(self):
        """``{sentence_id: (action, label)}`` of the decisions in force."""
        with self._lock:
            rows = self._db.execute("SELECT sentence_id, action, label FROM decisions WHERE undone_at IS NULL "
                                    "ORDER BY id").fetchall()
        return {s: (a, l) for s, a, l in rows}

    def history(self, limit=None):
        """Decisions in force, newest first, as dicts."""
        query = ("SELECT d.id, d.sentence_id, d.action, d.label, d.annotator, d.at, d.suggestion, d.scores, d.pick "
                 "FROM decisions d WHERE d.undone_at IS NULL ORDER BY d.id DESC")
        with self._lock:
            rows = self._db.execute(query + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
        keys = ("id", "sentence_id", "action", "label", "annotator", "at", "suggestion", "scores", "pick")
        out = []
        for row in rows:
            item = dict(zip(keys, row))
            item["scores"] = json.loads(item["scores"]) if item["scores"] else None
            out.append(item)
        return out

    def labelled(self):
        """``[(doc, position, text, label)]`` of the sentences labelled (not skipped), in archive order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT s.doc, s.position, s.text, d.label FROM decisions d JOIN sentences s ON s.id = d.sentence_id "
                "WHERE d.undone_at IS NULL AND d.action = 'label' ORDER BY s.id").fetchall()
        return rows
