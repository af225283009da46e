//! Issue 6: `savings report` (report_chart).
