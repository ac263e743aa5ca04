"""Billing ingestion: FOCUS rows of every provider into raw_billing, validated and loaded slice by slice.

focus.py (the FOCUS column mapping), focus_files.py (files, S3 prefixes, AWS Data Exports), conform.py
(typing), validation.py (the great-expectations gate), loader.py (load, quarantine), assets.py (Dagster);
azure.py and gcp.py read the Azure and GCP billing APIs into FOCUS frames for the loader.
"""
