// expect: 'execute' is not allowed
job('a') { task('t') { sh "echo ${'touch CANARY'.execute()}" } }
