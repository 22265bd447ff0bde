// expect: 'owner' is not allowed
job('a') {
  def o = owner
}
