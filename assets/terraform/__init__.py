"""Declared state: Terraform state files (format version 4) read into raw_terraform."""
