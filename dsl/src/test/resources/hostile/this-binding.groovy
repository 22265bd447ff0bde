// expect: 'this' is not allowed
def vars = this.binding.variables
