"""Streamlit dashboards on the marts: ``streamlit run dashboards/app.py``."""
