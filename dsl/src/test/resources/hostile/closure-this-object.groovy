// expect: 'thisObject' is not allowed
job('a') {
  def t = thisObject
}
