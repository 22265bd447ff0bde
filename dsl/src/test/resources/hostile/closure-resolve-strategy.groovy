// expect: 'resolveStrategy' is not allowed
def c = { -> execute() }
c.resolveStrategy = Closure.DELEGATE_FIRST
