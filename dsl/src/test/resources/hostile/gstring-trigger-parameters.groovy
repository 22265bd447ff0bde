// expect: inside a double-quoted string
job('a') {
  task('t') { trigger 'b', parameters: [V: "${-> 'touch CANARY'.execute()}"] }
}
