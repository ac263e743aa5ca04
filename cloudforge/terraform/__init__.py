"""Terraform knowledge shared by the state ingestion (assets/terraform) and the provisioner."""
