// expect: 'class' is not allowed
def loader = [:].class.classLoader
