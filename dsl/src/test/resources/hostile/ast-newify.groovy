// expect: annotation @Newify is not allowed
@Newify(File) def f = File('CANARY')
