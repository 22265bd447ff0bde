// The expression language of `when` conditions and `${{ }}` templates.
// Precedence, lowest first: ||, &&, in, == !=, < <= > >=, unary !, primary.
// Names are checked after parsing (unknown roots, unknown functions) so the messages can be specific.
grammar Expr;

parse
    : expr EOF
    ;

// ANTLR gives the first alternative the highest precedence, so `!a == b` is `(!a) == b`.
expr
    : NOT expr                               # notExpr
    | expr op=(LT | LE | GT | GE) expr       # compareExpr
    | expr op=(EQ | NE) expr                 # equalityExpr
    | expr IN expr                           # inExpr
    | expr AND expr                          # andExpr
    | expr OR expr                           # orExpr
    | primary                                # primaryExpr
    ;

primary
    : LPAREN expr RPAREN                         # parenPrimary
    | LBRACK (expr (COMMA expr)*)? RBRACK        # listPrimary
    | STRING                                     # stringPrimary
    | MINUS? NUMBER                              # numberPrimary
    | TRUE                                       # truePrimary
    | FALSE                                      # falsePrimary
    | NULL                                       # nullPrimary
    | NAME LPAREN (expr (COMMA expr)*)? RPAREN   # callPrimary
    | NAME accessor*                             # referencePrimary
    ;

accessor
    : DOT segment                                # dotAccessor
    | LBRACK STRING RBRACK                       # bracketAccessor
    ;

// Keywords are fine as names after a dot: `outputs.check.true` is a key called "true".
segment
    : NAME | TRUE | FALSE | NULL | IN
    ;

OR      : '||' ;
AND     : '&&' ;
EQ      : '==' ;
NE      : '!=' ;
LE      : '<=' ;
GE      : '>=' ;
LT      : '<' ;
GT      : '>' ;
NOT     : '!' ;
LPAREN  : '(' ;
RPAREN  : ')' ;
LBRACK  : '[' ;
RBRACK  : ']' ;
COMMA   : ',' ;
DOT     : '.' ;
MINUS   : '-' ;

TRUE    : 'true' ;
FALSE   : 'false' ;
NULL    : 'null' ;
IN      : 'in' ;

NUMBER  : [0-9]+ ('.' [0-9]+)? ;

// `-` is allowed inside names because task names like build-web are common; there is no subtraction.
NAME    : [a-zA-Z_] [a-zA-Z0-9_-]* ;

STRING
    : '"' (ESCAPE | ~["\\])* '"'
    | '\'' (ESCAPE | ~['\\])* '\''
    ;

fragment ESCAPE : '\\' [nt'"\\] ;

WS      : [ \t\r\n]+ -> skip ;
