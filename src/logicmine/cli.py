"""Command line: click commands only (options -> Config -> pipeline); the only place that prints."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import click

from . import __version__
from .errors import LogicmineError, StrictModeError
from .logs import configure as configure_logs

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Progress:
    """Progress on stderr: a bar on a terminal, plain lines otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.last: tuple[str, int] = ("", -1)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet or total <= 0:
            return
        if self.tty:
            width = 30
            filled = width * done // total
            click.echo(f"\r{stage:>9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
                       err=True, nl=done == total)
            return
        step = max(1, total // 10)
        if done == total or done % step == 0:
            if self.last != (stage, done):
                click.echo(f"{stage}: {done}/{total}", err=True)
                self.last = (stage, done)


def _config(path: Path, config_file: Path | None, **flags):
    from .config import load_config

    overrides = {k: v for k, v in flags.items() if v not in (None, (), "")}
    return load_config(path, config_file=config_file, overrides=overrides)


def _fail(exc: LogicmineError) -> click.ClickException:
    error = click.ClickException(str(exc))
    error.exit_code = exc.exit_code
    return error


_path_arg = click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
_config_opt = click.option("--config", "config_file",
                           type=click.Path(dir_okay=False, path_type=Path),
                           help="logicmine.toml to use (default: PATH/logicmine.toml).")
_copy_opt = click.option("-I", "--copybook-path", "copybook_paths", multiple=True,
                         help="Copybook folder, searched before the repo-wide index (repeatable).")
def _verbosity(command):
    """-q/-v after the command name too (`logicmine build -q`), not only before it."""

    def set_quiet(ctx, _param, value):
        if value:
            ctx.ensure_object(dict)["quiet"] = True
            logging.getLogger().setLevel(logging.ERROR)
        return value

    def set_verbose(ctx, _param, value):
        if value:
            logging.getLogger().setLevel(logging.DEBUG)
        return value

    command = click.option("-q", "--quiet", "_quiet", is_flag=True, expose_value=False,
                           callback=set_quiet, help="Print errors only.")(command)
    return click.option("-v", "--verbose", "_verbose", is_flag=True, expose_value=False,
                        callback=set_verbose, help="Log what each stage does.")(command)


_jobs_opt = click.option("-j", "--jobs", type=click.IntRange(min=0), default=None,
                         help="Parser processes (default: number of cores).")
_executor_opt = click.option("--executor", default=None, metavar="local|dask|dask://HOST:PORT",
                             help="Where parsing runs: our process pool (default), a local "
                                  "Dask cluster, or a Dask scheduler.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="logicmine")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Logs as plain lines or one JSON object a line.")
@click.pass_context
def main(ctx: click.Context, verbose: bool, quiet: bool, log_format: str) -> None:
    """Recover the business logic of a legacy COBOL estate and publish it as documentation.

    \b
    logicmine scan  PATH            what was found and how well it parsed
    logicmine graph PATH            the call / data graph (JSON, GraphML, DOT)
    logicmine build PATH -o OUT     the HTML site, Markdown, rules.json and graph.json
    logicmine check OUT             exit 1 when the docs no longer match the code

    \b
    Exit codes: 0 done; 1 the run failed (or --strict and a file had a problem, or
    check found stale docs); 2 usage or configuration error.
    """
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    configure_logs(level, log_format)
    ctx.ensure_object(dict)["quiet"] = quiet


def _diagnostics_summary(diagnostics, limit: int = 20) -> list[str]:
    lines = [d.format() for d in diagnostics if d.severity != "info"][:limit]
    counts = Counter(d.code for d in diagnostics if d.severity != "info")
    more = sum(counts.values()) - len(lines)
    if more > 0:
        lines.append(f"... and {more} more ({', '.join(f'{c}: {n}' for c, n in counts.items())})")
    return lines


@main.command()
@_path_arg
@_config_opt
@_copy_opt
@_jobs_opt
@_executor_opt
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
@click.option("--strict", is_flag=True, default=None, help="Exit 1 if any file had a problem.")
@_verbosity
@click.pass_context
def scan(ctx, path, config_file, copybook_paths, jobs, executor, fmt, strict):
    """Find and parse the sources under PATH and report parse fidelity per file."""
    from .pipeline import parse_estate
    from .scan_report import scan_json, scan_text

    try:
        config = _config(path, config_file, copybook_paths=copybook_paths, jobs=jobs, strict=strict,
                         executor=executor)
        parsed = parse_estate(config, _Progress(ctx.obj["quiet"]))
    except LogicmineError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        click.echo(json.dumps(scan_json(parsed), indent=1, sort_keys=True))
    else:
        click.echo(scan_text(parsed))
    _strict_exit(config, parsed.diagnostics)


def _strict_exit(config, diagnostics) -> None:
    problems = [d for d in diagnostics if d.severity in ("warning", "error")]
    if config.strict and problems:
        raise _fail(StrictModeError(f"{len(problems)} file problems and --strict was given"))


@main.command()
@_path_arg
@_config_opt
@_copy_opt
@_jobs_opt
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "dot"]), default="json",
              show_default=True, help="Graph format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@_verbosity
@click.pass_context
def graph(ctx, path, config_file, copybook_paths, jobs, fmt, output):
    """Build the estate graph of PATH (programs, paragraphs, jobs, datasets) and export it."""
    from .graph import build_graph
    from .graph_export import export
    from .lang.jcl import dd_access
    from .pipeline import parse_estate
    from .writing import write_text_atomic

    try:
        config = _config(path, config_file, copybook_paths=copybook_paths, jobs=jobs)
        parsed = parse_estate(config, _Progress(ctx.obj["quiet"]))
    except LogicmineError as exc:
        raise _fail(exc) from exc
    text = export(build_graph(parsed.programs, parsed.jobs, dd_access), fmt)
    if output:
        write_text_atomic(output, text)
    else:
        click.echo(text, nl=False)


@main.command()
@_path_arg
@click.option("-o", "--output", "out", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write the site to.")
@_config_opt
@_copy_opt
@_jobs_opt
@_executor_opt
@click.option("--backend", type=click.Choice(["offline", "openai"]), default=None,
              help="Summariser: offline (default; no key, no network) or openai (any "
                   "OpenAI-compatible server).")
@click.option("--model", default=None, help="Model name for --backend openai.")
@click.option("--base-url", default=None,
              help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (Ollama).")
@click.option("--api-key-env", default=None, metavar="VAR",
              help="Environment variable holding the key (default LOGICMINE_API_KEY, then "
                   "OPENAI_API_KEY).")
@click.option("--api-version", default=None, help="Azure OpenAI api-version.")
@click.option("--llm-jobs", type=click.IntRange(min=1), default=None,
              help="Model requests in flight at once (default 4).")
@click.option("--llm-timeout", type=click.FloatRange(min=0.1), default=None,
              help="Seconds per model request (default 120).")
@click.option("--max-cost", type=click.FloatRange(min=0), default=None, metavar="USD",
              help="Stop the model pass before spending more; what is done is kept.")
@click.option("--price", "prices", default=None, metavar="IN/OUT",
              help="Dollars per million tokens sent/received (or name=IN/OUT,...).")
@click.option("--dry-run", is_flag=True, default=None,
              help="Say how many prompts and tokens the model pass would send, send nothing.")
@click.option("--prompts", "prompts_dir", default=None, type=click.Path(file_okay=False),
              help="Folder of prompt templates overriding the shipped ones.")
@click.option("--context-tokens", type=click.IntRange(min=1000), default=None,
              help="Prompt budget in tokens (default 16000).")
@click.option("--strict", is_flag=True, default=None, help="Exit 1 if any file had a problem.")
@click.option("--summary-json", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a run summary (counts, timings, warnings) as JSON here.")
@click.option("--full", is_flag=True, help="Ignore the state of earlier runs and redo everything.")
@_verbosity
@click.pass_context
def build(ctx, path, out, config_file, copybook_paths, jobs, executor, backend, model, base_url,
          api_key_env, api_version, llm_jobs, llm_timeout, max_cost, prices, dry_run,
          prompts_dir, context_tokens, strict, summary_json, full):
    """Build the documentation of PATH into OUT: HTML site, Markdown, rules.json, graph.json."""
    from .pipeline import build as run_build
    from .writing import write_text_atomic

    quiet = ctx.obj["quiet"]
    try:
        config = _config(path, config_file, copybook_paths=copybook_paths, jobs=jobs,
                         backend=backend, strict=strict, executor=executor, model=model,
                         base_url=base_url, api_key_env=api_key_env, prompts_dir=prompts_dir)
        llm = _llm_settings(config, api_version=api_version, jobs=llm_jobs, timeout=llm_timeout,
                            max_cost=max_cost, prices=prices, dry_run=dry_run,
                            context_tokens=context_tokens)
        result = run_build(config, out, _Progress(quiet), incremental=not full, llm=llm)
    except LogicmineError as exc:
        raise _fail(exc) from exc
    if result.unchanged:
        if summary_json:
            write_text_atomic(summary_json, json.dumps(
                {"unchanged": True, "timings": result.timings}, indent=1, sort_keys=True) + "\n")
        if not quiet:
            for line in _diagnostics_summary(result.diagnostics):
                click.echo(line, err=True)
            click.echo(f"nothing changed since the last build; {out} is up to date", err=True)
        _strict_exit(config, result.diagnostics)
        return
    estate = result.analysis.estate
    summary = _run_summary(result)
    if result.analysis.llm is not None:
        summary["llm"] = asdict(result.analysis.llm)
        if not quiet:
            for line in result.analysis.llm.lines():
                click.echo(line, err=True)
    if summary_json:
        write_text_atomic(summary_json, json.dumps(summary, indent=1, sort_keys=True) + "\n")
    if not quiet:
        for line in _diagnostics_summary(estate.diagnostics):
            click.echo(line, err=True)
        click.echo(f"{len(estate.programs)} programs, {len(estate.jobs)} jobs, "
                   f"{len(estate.rules)} rules, {len(estate.clusters)} clusters -> {out} "
                   f"({sum(result.timings.values()):.2f} s)", err=True)
    _strict_exit(config, estate.diagnostics)


def _llm_settings(config, **flags):
    """Model-pass settings for --backend openai (None for the offline summariser)."""
    if config.backend != "openai":
        return None
    from .summarise.settings import LLMSettings

    return LLMSettings.from_config(config, **flags)


def _run_summary(result) -> dict:
    estate = result.analysis.estate
    return {
        "programs": len(estate.programs),
        "jobs": len(estate.jobs),
        "rules": len(estate.rules),
        "clusters": len(estate.clusters),
        "files": len(estate.sources),
        "unchanged": False,
        "timings": {k: round(v, 3) for k, v in sorted(result.timings.items())},
        "diagnostics": [asdict(d) for d in estate.diagnostics],
    }


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--source", "path", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Repository to compare with (default: the one OUT was built from).")
@_config_opt
@_verbosity
def check(out, path, config_file):
    """Exit 1 and list what is stale when the docs in OUT no longer match the code."""
    from .freshness import stale_inputs

    try:
        stale = stale_inputs(out, path, config_file)
    except LogicmineError as exc:
        raise _fail(exc) from exc
    if not stale:
        click.echo(f"{out} is up to date")
        return
    for change, name in stale:
        click.echo(f"{change}: {name}")
    raise SystemExit(EXIT_FAILED)


@main.command()
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--reviews", "reviews_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Reviews file to record to (default: the one the build named, "
                   "PATH/logicmine-reviews.json).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@_verbosity
def serve(site, reviews_file, port):
    """Serve a built SITE on 127.0.0.1 and record review decisions (accept, reject, comment)."""
    from .serve import make_server

    try:
        server = make_server(site, reviews_file, port)
    except LogicmineError as exc:
        raise _fail(exc) from exc
    click.echo(f"Serving {site} at {server.url}\nRecording review decisions to {server.reviews}\n"
               "Press Ctrl-C to stop.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()
