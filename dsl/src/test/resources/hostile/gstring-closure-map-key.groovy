// expect: inside a double-quoted string
def m = [("${-> 'touch CANARY'.execute()}"): 1]
