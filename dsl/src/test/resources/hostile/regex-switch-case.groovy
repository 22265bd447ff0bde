// expect: regular expressions (~/…/) are not allowed
switch ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!') {
  case ~/(a+)+$/: job('a') { }
}
