"""Data access and helpers of the monitoring pages: Health and Recommendations."""
