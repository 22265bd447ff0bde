// expect: 'invokeMethod' is not allowed
job('a') {
  invokeMethod('task', ['t', { sh 'true' }] )
}
