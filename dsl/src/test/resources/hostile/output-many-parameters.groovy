// expect: MiB of text || MiB of memory || took longer than
job('a') {
  parameters { (1..2000000000).each { n -> string('P' + n) } }
}
