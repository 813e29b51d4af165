"""The track assessment XBlock: single-choice questions served by the learner's track."""
