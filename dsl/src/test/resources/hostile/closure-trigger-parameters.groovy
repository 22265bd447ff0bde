// expect: creating objects with 'new' is not allowed
job('a') {
  task('t') { trigger 'b', parameters: [V: { new File('CANARY').text = 'x' }] }
}
