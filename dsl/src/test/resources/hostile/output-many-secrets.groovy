// expect: MiB of text || MiB of memory || took longer than
job('a') {
  task('t') {
    (1..2000000000).each { n -> secrets('S' + n) }
    sh 'true'
  }
}
