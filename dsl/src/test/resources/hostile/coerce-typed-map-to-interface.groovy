// expect: type 'Comparator' is not allowed
Comparator c = [compare: { a, b -> 'touch CANARY'.execute(); 0 }]
[2, 1].sort(c)
