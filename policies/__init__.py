"""The policy engine: one Rego library judged before deployment (Terraform plans) and after (the inventory).

Public entry points:

* ``check_plan(plan, config)`` -> ``CheckResult``: the pre-deployment check (provisioner, CI).
* ``Evaluator(config).evaluate(documents, now)`` -> ``list[Finding]``: the runtime path over normalised
  inventory documents (``documents.from_inventory``).
* ``run_tests()``: every Rego test of the library.

See policies/README.md for the policy format and the document shapes.
"""
