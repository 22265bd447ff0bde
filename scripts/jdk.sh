# Sourced by ./stoker and ./run-tests: finds a JDK >= 21 and sets STOKER_JAVA_HOME (and STOKER_JAVA_MAJOR), or
# explains what to install.
# Order: $JAVA_HOME, then the newest /usr/lib/jvm/*, then the java on PATH.

stoker_java_major() { # prints the major version of the java binary $1, or nothing
  # the JDK's release file says it without starting a JVM (~70 ms every command); the JVM is asked when there is none
  local release version
  release="$(dirname "$(dirname "$1")")/release"
  version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" 2>/dev/null | head -n 1)
  if [ -n "$version" ]; then
    echo "$version"
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

stoker_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV) \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    candidate=${candidate%/}
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(stoker_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      STOKER_JAVA_HOME=$candidate
      STOKER_JAVA_MAJOR=$major
      return 0
    fi
  done
  echo "stoker: needs a JDK 21 or newer (none found in JAVA_HOME, /usr/lib/jvm or PATH): install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 25, or set JAVA_HOME" >&2
  return 1
}
