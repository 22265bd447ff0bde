// expect: coercion are not allowed
job('a') {
  task('t') { trigger 'b', wait: ['touch', 'CANARY'] as ProcessBuilder }
}
