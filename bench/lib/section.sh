# shellcheck shell=bash
# Writes a benchmark's results section into its Markdown file: replaces the text between the script's markers,
# or appends the section (under HEADING when one is given) when the file has no markers yet, or creates the file.
# The caller sets BENCH_NAME, OUT, BEGIN_MARKER and END_MARKER, and sources scratch.sh (NEW_FILE, die) first;
# the new file is written beside OUT and renamed over it, so a stopped script never leaves it half-written.

# write_section SECTION_FILE TABLE_FILE VERDICT_FILE [HEADING]: SECTION_FILE holds the begin marker and the
# description; the table, the verdict and the end marker are added here, and the table and verdict printed.
write_section() {
    local section="$1" table="$2" verdict="$3" heading="${4:-}" out_dir new begin_line end_line
    { echo; cat "$table"; echo; cat "$verdict"; echo "$END_MARKER"; } >>"$section"
    echo
    cat "$table"
    echo
    cat "$verdict"
    out_dir="$(dirname "$OUT")"
    mkdir -p "$out_dir" || die "cannot create directory $out_dir"
    new="$(mktemp "$out_dir/.$BENCH_NAME.XXXXXX")" || die "cannot write in $out_dir"
    NEW_FILE="$new"
    marker_line() { { grep -n "^[[:space:]]*$1[[:space:]]*\$" "$OUT" || true; } | cut -d: -f1; }
    if [[ -f "$OUT" ]]; then
        begin_line="$(marker_line "$BEGIN_MARKER" | head -n 1)"
        end_line="$(marker_line "$END_MARKER" | awk -v b="${begin_line:-0}" '$1 > b { print; exit }')"
        if [[ -n "$begin_line" && -n "$end_line" ]]; then
            { head -n $((begin_line - 1)) "$OUT"; cat "$section"; tail -n +$((end_line + 1)) "$OUT"; } >"$new"
        elif [[ -n "$begin_line" || -n "$(marker_line "$END_MARKER")" ]]; then
            die "$OUT has an unpaired $BENCH_NAME marker; fix it by hand (the table is printed above)"
        else
            {
                cat "$OUT"
                [[ -z "$(tail -c1 "$OUT")" ]] || echo
                echo
                if [[ -n "$heading" ]]; then echo "$heading"; echo; fi
                cat "$section"
            } >"$new"
        fi
        chmod --reference="$OUT" "$new" 2>/dev/null || true
    else
        {
            echo "# Benchmarks"
            echo
            if [[ -n "$heading" ]]; then echo "$heading"; echo; fi
            cat "$section"
        } >"$new"
        chmod 0644 "$new"
    fi
    mv -f "$new" "$OUT"
    # shellcheck disable=SC2034 # read by the exit trap in scratch.sh
    NEW_FILE=""
    echo "Wrote the $BENCH_NAME section of $OUT"
}

# list_flagged_rows: when a run had errors (flagged), lists each row's problems (ROW_LABELS, ROW_PROBLEMS).
list_flagged_rows() {
    ((${flagged:-0})) || return 0
    echo
    echo "Runs with errors (their numbers are not comparable):"
    local i
    for i in "${!ROW_LABELS[@]}"; do
        [[ -z "${ROW_PROBLEMS[i]}" ]] || echo "- ${ROW_LABELS[i]}: ${ROW_PROBLEMS[i]//;/; }"
    done
}

# mark_row I: sets `mark` to " ⚠ ERRORS" (and `flagged` to 1) when row I had problems (ROW_PROBLEMS), else "".
mark_row() {
    mark=""
    if [[ -n "${ROW_PROBLEMS[$1]}" ]]; then
        # shellcheck disable=SC2034 # read by the caller
        mark=" ⚠ ERRORS"
        flagged=1
    fi
}
