#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The bash completion as a user meets it: bash-completion and completion/calcium-stdp loaded, a
# command line typed, TAB pressed (the completion function called as readline calls it), COMPREPLY
# read back. The expected names are the program's own (--help, --dump-params=names, --list-presets).
#
# CALCIUM_STDP: the program; BASH_COMPLETION_FILE: the completion (default: ../completion/ from here);
# BASH_COMPLETION_SCRIPT: bash-completion's main script (default: where distributions install it).
prog=${CALCIUM_STDP:-./calcium-stdp}
here=$(cd "$(dirname "$0")" && pwd)
file=${BASH_COMPLETION_FILE:-$here/../completion/calcium-stdp}
main=${BASH_COMPLETION_SCRIPT:-}
for f in /usr/share/bash-completion/bash_completion /usr/local/share/bash-completion/bash_completion \
	/opt/homebrew/share/bash-completion/bash_completion; do
	[[ -z $main && -r $f ]] && main=$f
done
if [[ -z $main ]]; then
	echo "1..0 # SKIP bash-completion is not installed (apt-get install bash-completion)"
	exit 0
fi
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cstdp-completion.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# The program as the user types it, found on PATH; no presets of the user's own.
mkdir -p "$tmp/bin" "$tmp/config" "$tmp/files/sub"
ln -s "$prog" "$tmp/bin/calcium-stdp"
PATH=$tmp/bin:$PATH
export XDG_CONFIG_HOME=$tmp/config HOME=$tmp BASH_COMPLETION_USER_DIR=$tmp/user-completions
touch "$tmp/files/run.ini" "$tmp/files/points.csv"

n=0 failed=0
ok() { # ok STATUS DESCRIPTION
	n=$((n + 1))
	if [[ $1 -eq 0 ]]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

shopt -s extglob progcomp
# shellcheck disable=SC1090
source "$main" || { echo "Bail out! cannot load $main"; exit 1; }
# shellcheck disable=SC1090
source "$file" || { echo "Bail out! cannot load $file"; exit 1; }
complete -p calcium-stdp 2>/dev/null | grep -q -- "-F _calcium_stdp calcium-stdp$"
ok $? "complete -p calcium-stdp names the completion function"

# compopt only works inside a completion that readline runs: record what it was asked instead.
compopt() { nospace=0; [[ "$*" == *"-o nospace"* ]] && nospace=1; }

# tab 'COMMAND LINE': COMPREPLY, sorted, one line, for the line with the cursor at its end. Words are
# split as readline splits them (spaces, and '=' as a word of its own).
tab() {
	local line=$1 w
	COMP_WORDS=()
	for w in $line; do
		while [[ $w == *=* ]]; do
			[[ -n ${w%%=*} ]] && COMP_WORDS+=("${w%%=*}")
			COMP_WORDS+=("=")
			w=${w#*=}
		done
		[[ -n $w ]] && COMP_WORDS+=("$w")
	done
	[[ $line == *" " || $line == *= ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line COMP_POINT=${#line}
	COMPREPLY=() nospace=0
	_calcium_stdp calcium-stdp "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}

# is 'LINE' 'EXPECTED' DESCRIPTION
is() {
	local got
	got=$(tab "$1")
	if [[ $got == "$2" ]]; then ok 0 "$3: '$1' -> $got"; else ok 1 "$3: '$1' -> '$got', want '$2'"; fi
}

is "calcium-stdp --se" "--seed --set" "options from --help"
is "calcium-stdp --batch --an" "--analytic" "options after other options"
opts=$(tab "calcium-stdp --")
want=$(LC_ALL=C calcium-stdp --help | grep -oE '^ +(-[[:alnum:]], )?--[[:alnum:]-]+' | grep -oE -- '--[[:alnum:]-]+' |
	LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//')
[[ -n $want && $opts == "$want" ]]
ok $? "every long option of --help and nothing else ($(wc -w <<<"$opts") options)"

is "calcium-stdp --set th" "theta_d= theta_p=" "parameter names after --set"
tab "calcium-stdp --set th" >/dev/null # in this shell, to read $nospace
[[ $nospace -eq 1 ]]
ok $? "no space after NAME=, so the value follows"
is "calcium-stdp -s tau_ca" "tau_ca_ms=" "parameter names after -s"
is "calcium-stdp --set=th" "theta_d= theta_p=" "--set=NAME"
names=$(calcium-stdp --dump-params=names | awk '{ print $1 "=" }' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
[[ $(tab "calcium-stdp --set ") == "$names" && $(wc -w <<<"$names") -gt 10 ]]
ok $? "every parameter after --set ($(wc -w <<<"$names") of them)"
is "calcium-stdp --set protocol=b" "burst" "a choice's values after NAME="
is "calcium-stdp --set protocol=" "burst frequency irregular irregular-rate pairs poisson" "all of a choice's values"
is "calcium-stdp --set theta_p=" "" "nothing to offer for a number"
is "calcium-stdp --protocol p" "pairs poisson" "protocol names after --protocol"
is "calcium-stdp --preset D" "D DP DPD DPDprime Dprime" "preset names after --preset"
is "calcium-stdp -p hippocampal-s" "hippocampal-slices hippocampal-slices-burst" "preset names after -p"
mkdir -p "$XDG_CONFIG_HOME/calcium-stdp/params"
printf '[model]\ntheta_p = 1.5\n' >"$XDG_CONFIG_HOME/calcium-stdp/params/zz-mine.ini"
presets=$(calcium-stdp --list-presets | awk '{ print $1 }' | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//')
[[ $(tab "calcium-stdp --preset ") == "$presets" && $presets == *zz-mine* ]]
ok $? "every preset --list-presets shows, the user's own too ($(wc -w <<<"$presets") of them)"
# A user's preset with a built-in's name: --list-presets shows both, the completion the name once.
cp "$XDG_CONFIG_HOME/calcium-stdp/params/zz-mine.ini" "$XDG_CONFIG_HOME/calcium-stdp/params/DPD.ini"
is "calcium-stdp --preset DP" "DP DPD DPDprime" "a preset shadowed by the user's: its name once"
rm -f "$XDG_CONFIG_HOME/calcium-stdp/params/DPD.ini"
is "calcium-stdp --method s" "segments stepwise" "integrators after --method"
is "calcium-stdp --glyphs b" "block braille" "glyph sets after --glyphs"
is "calcium-stdp --params $tmp/files/" "$tmp/files/points.csv $tmp/files/run.ini $tmp/files/sub" \
	"files after --params"
is "calcium-stdp --save $tmp/files/r" "$tmp/files/run.ini" "files after --save"
if calcium-stdp --help | grep -qE -- '--data[ =]'; then
	is "calcium-stdp --data $tmp/files/p" "$tmp/files/points.csv" "files after --data"
else
	ok 0 "# SKIP this program has no --data"
fi
is "calcium-stdp --reps " "" "nothing to offer for a count"
if calcium-stdp --help | grep -qE -- '--fit NAMES'; then
	is "calcium-stdp --fit gamma_d,th" "gamma_d,theta_d gamma_d,theta_p" "--fit: the list's last name"
else
	ok 0 "# SKIP this program has no --fit"
fi
if calcium-stdp --help | grep -qE -- '--map NAME='; then
	is "calcium-stdp --map theta_" "theta_d= theta_p=" "--map: parameter names"
else
	ok 0 "# SKIP this program has no --map"
fi
is "calcium-stdp --batch " "$(tab "calcium-stdp ")" "options where an option may come"

# Loaded on demand, as bash-completion finds it under the command's name.
complete -r calcium-stdp
mkdir -p "$BASH_COMPLETION_USER_DIR/completions"
cp "$file" "$BASH_COMPLETION_USER_DIR/completions/calcium-stdp"
unset -f _calcium_stdp
__load_completion calcium-stdp && complete -p calcium-stdp 2>/dev/null | grep -q _calcium_stdp
ok $? "bash-completion loads it on demand from a completions folder"

# zsh's completion: at least well-formed (it is checked by hand at a zsh prompt).
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$(dirname "$file")/_calcium-stdp"
	ok $? "the zsh completion parses"
else
	ok 0 "# SKIP zsh is not installed"
fi

echo "1..$n"
[[ $failed -eq 0 ]]
