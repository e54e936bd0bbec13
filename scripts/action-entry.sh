#!/usr/bin/env bash
# The GitHub Action's entry point (action.yml). Runs `fjord check` once: GitHub annotations on
# standard output, a SARIF file beside them (--output), paths relative to the workspace
# (--source-root), and the exit code as the step's result and as the `exit-code` output.
# Inputs come as INPUT_* variables; it runs outside GitHub too (tests/action run it locally):
#   INPUT_PATHS=mesh/ GITHUB_WORKSPACE=$PWD scripts/action-entry.sh
set -uo pipefail

action_dir=$(cd "$(dirname "$0")/.." && pwd)
workspace=${GITHUB_WORKSPACE:-$PWD}
paths=${INPUT_PATHS:-.}
fail_on=${INPUT_FAIL_ON:-error}
config=${INPUT_CONFIG:-}
extra=${INPUT_ARGS:-}
sarif=${INPUT_SARIF-fjord.sarif}
fjord=${INPUT_FJORD:-}
diff_base=${INPUT_DIFF_BASE:-}
comment=${INPUT_COMMENT:-false}

if [ -z "$fjord" ]; then
  if command -v fjord >/dev/null 2>&1; then
    fjord=$(command -v fjord)
  else
    echo "::group::build fjord"
    if ! (cd "$action_dir" && make deps >&2 && swift build -c release --product fjord >&2); then
      echo "::error title=fjord::could not build fjord from $action_dir; give the action's \`fjord\` input a binary"
      exit 2
    fi
    echo "::endgroup::"
    fjord="$action_dir/.build/release/fjord"
  fi
fi

cd "$workspace" || { echo "::error title=fjord::cannot enter the workspace \`$workspace\`"; exit 2; }
args=(check --format github --source-root "$workspace" --fail-on "$fail_on")
[ -n "$config" ] && args+=(--config "$config")
if [ -n "$sarif" ]; then
  args+=(--output "$sarif" --output-format sarif)
fi
# Word splitting on purpose: paths and extra options are lists in one input.
# shellcheck disable=SC2206
args+=($extra)
# shellcheck disable=SC2206
args+=($paths)

"$fjord" "${args[@]}"
code=$?

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    if [ -n "$sarif" ] && [ -f "$sarif" ]; then echo "sarif=$sarif"; else echo "sarif="; fi
  } >>"$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo '### fjord check'
    echo
    echo '```'
    # shellcheck disable=SC2206
    "$fjord" check --compact --color never --fail-on "$fail_on" ${config:+--config "$config"} $extra $paths 2>&1 | tail -n 50
    echo '```'
  } >>"$GITHUB_STEP_SUMMARY"
fi
# With a base revision: what the change does to traffic, as Markdown for the pull request.
if [ -n "$diff_base" ]; then
  diff_md=${RUNNER_TEMP:-$workspace}/fjord-diff.md
  # shellcheck disable=SC2206
  "$fjord" diff --format markdown --git "$diff_base" $paths >"$diff_md"
  diff_code=$?
  if [ "$diff_code" -ge 2 ]; then
    echo "::error title=fjord diff::fjord diff --git $diff_base failed (exit $diff_code)"
    code=2
  fi
  [ -n "${GITHUB_OUTPUT:-}" ] && echo "diff=$diff_md" >>"$GITHUB_OUTPUT"
  [ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat "$diff_md" >>"$GITHUB_STEP_SUMMARY"
  if [ "$comment" = true ] && [ "$diff_code" -lt 2 ]; then
    if command -v gh >/dev/null 2>&1 && [ -n "${GH_TOKEN:-${GITHUB_TOKEN:-}}" ]; then
      gh pr comment --body-file "$diff_md" || echo "::warning title=fjord diff::could not comment on the pull request"
    else
      echo "::warning title=fjord diff::comment needs the gh CLI and GH_TOKEN"
    fi
  fi
fi
exit "$code"
