// expect: 'this' is not allowed
def loader = this.getClass().getClassLoader()
