// expect: MiB of text || MiB of memory || took longer than
job('a') {
  (1..2000000000).each { n -> env(('K' + n): 'v') }
}
