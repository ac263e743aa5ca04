"""``cloudforge policy``: run the Rego tests, check Terraform plans before they are applied, write the
framework coverage table.

Exit codes follow CI conventions: 0 clean, 1 a test failed or a policy denied something (or, with
``--fail-on-unknown``, could only judge a resource after apply), 2 bad input (unreadable or malformed plan,
unknown plan format, a policy that does not load).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from cloudforge.settings import load_settings
from policies.check import check_plan
from policies.config import policy_config
from policies.coverage import (
    COVERAGE_DOC,
    RECOMMENDATIONS_SEED,
    load_frameworks,
    problems,
    render,
    render_seed,
)
from policies.engine import RegoError
from policies.library import PolicyLoadError, load_library
from policies.report import RENDERERS
from policies.testing import run_tests

_policy_dirs = click.option(
    "--policy-dir",
    "policy_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Extra directory of Rego policies (repeatable), loaded after the built-in library.",
)


def _bad_input(error: Exception) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(2)


@click.group("policy")
def policy() -> None:
    """Test the Rego policy library and check Terraform plans against it."""


@policy.command("test")
@_policy_dirs
@click.option("-q", "--quiet", is_flag=True, help="Print only failing tests and the summary.")
def test_command(policy_dirs: tuple[Path, ...], quiet: bool) -> None:
    """Run every Rego test (test_ rules in *_test.rego)."""
    start = time.perf_counter()
    try:
        results = run_tests(policy_dirs)
    except (PolicyLoadError, RegoError) as error:
        _bad_input(error)
    for r in results:
        if r.outcome != "pass" or not quiet:
            click.echo(f"{r.outcome.upper():5} {r.rule} ({r.file}:{r.line}) {r.seconds * 1000:.1f}ms")
        for line in r.output if r.outcome != "pass" else ():
            click.echo(f"      {line}")
    failed = sum(r.outcome == "fail" for r in results)
    errors = sum(r.outcome == "error" for r in results)
    seconds = time.perf_counter() - start  # loading included
    click.echo(f"{len(results) - failed - errors} passed, {failed} failed, {errors} errors in {seconds:.2f}s")
    sys.exit(1 if failed or errors else 0)


@policy.command("check")
@click.argument("plan_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(sorted(RENDERERS)), default="table", show_default=True
)
@click.option(
    "--fail-on-unknown",
    is_flag=True,
    help="Exit 1 when a policy reads a value the plan only knows after apply (listed either way).",
)
@_policy_dirs
def check_command(
    plan_file: Path, output_format: str, fail_on_unknown: bool, policy_dirs: tuple[Path, ...]
) -> None:
    """Check PLAN_FILE, the output of `terraform show -json PLANFILE`.

    Verdicts a policy cannot give before apply are listed as "unknown at plan time"; they do not fail the
    check unless --fail-on-unknown.

    In CI: terraform plan -out=tfplan && terraform show -json tfplan > plan.json &&
    cloudforge policy check plan.json --format sarif > policy.sarif
    """
    try:
        settings = load_settings()
        config = policy_config(settings, list(policy_dirs))
        result = check_plan(plan_file, config, now=settings.clock.now())
    except (ValueError, OSError, RegoError) as error:  # includes PlanFormatError and invalid settings
        _bad_input(error)
    click.echo(RENDERERS[output_format](result))
    sys.exit(0 if result.passed and not (fail_on_unknown and result.unknown) else 1)


@policy.command("coverage")
@click.option("--check", is_flag=True, help="Only compare: exit 1 when the committed table is out of date.")
def coverage_command(check: bool) -> None:
    """Write docs/compliance-coverage.md (every CIS recommendation with its policies or why none) and the dbt
    seed of the recommendations the Compliance page shows."""
    policies = load_library().policies
    frameworks = load_frameworks()
    for problem in problems(frameworks, policies):
        click.echo(f"error: {problem}", err=True)
    if problems(frameworks, policies):
        sys.exit(2)
    generated = {COVERAGE_DOC: render(frameworks, policies), RECOMMENDATIONS_SEED: render_seed(frameworks)}
    stale = []
    for path, text in generated.items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if check:
            click.echo(f"{path}: {'up to date' if current == text else 'out of date'}")
            stale += [path] if current != text else []
        else:
            path.write_text(text, encoding="utf-8")
            click.echo(f"wrote {path}")
    sys.exit(1 if stale else 0)
