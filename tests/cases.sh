# Counted test cases for the shell-driven suites (tests/c/run.sh, tests/dist/run.sh). Source it
# after setting `logs` (a directory that exists); each suite ends with `finish`, which prints
# "N passed, M failed" and returns the suite's status.

passed=0
failed=0
failures=()

# run_case NAME COMMAND...: one counted test case; its output goes to logs/NAME.log.
run_case() {
    local name=$1
    shift
    local log=$logs/${name//\//_}.log
    local start=$SECONDS rc
    # Not `if "$@"`: bash ignores `set -e` inside a condition, so a multi-step case would
    # report only its last step. The subshell keeps errexit on for every step.
    set +e
    (
        set -e
        "$@"
    ) >"$log" 2>&1
    rc=$?
    set -e
    if ((rc == 0)); then
        passed=$((passed + 1))
        echo "PASS $name ($((SECONDS - start)) s)"
    else
        failed=$((failed + 1))
        failures+=("$name")
        echo "FAIL $name ($((SECONDS - start)) s, log: $log)"
        tail -n 40 "$log" | sed 's/^/    | /'
    fi
}

# The suite's last line and status.
finish() {
    echo
    if ((failed > 0)); then
        printf 'failed: %s\n' "${failures[@]}"
    fi
    echo "$passed passed, $failed failed"
    ((failed == 0))
}
