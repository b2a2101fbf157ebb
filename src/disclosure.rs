//! Small-cell suppression for published figures (issue 4).
