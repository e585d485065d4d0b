000100 IDENTIFICATION DIVISION.                                         DATEUTIL
000200 PROGRAM-ID. DATEUTIL.                                            DATEUTIL
000300 AUTHOR. T WALSH.                                                 DATEUTIL
000400 INSTALLATION. SAVINGS AND LOANS DATA CENTER.                     DATEUTIL
000500 DATE-WRITTEN. 06/19/1989.                                        DATEUTIL
000600 DATE-COMPILED.                                                   DATEUTIL
000700***************************************************************** DATEUTIL
000800*  DATEUTIL - COMMON DATE ROUTINE, CALLED STATICALLY.           * DATEUTIL
000900*  PARAMETER BLOCK: COPYBOOK DATEPARM.                          * DATEUTIL
001000*    FUNCTION 'V'  VALIDATE DATE-1 (CCYYMMDD)                   * DATEUTIL
001100*    FUNCTION 'B'  DAYS FROM DATE-1 TO DATE-2 INTO DAY-COUNT    * DATEUTIL
001200*    FUNCTION 'A'  DATE-1 PLUS DAY-COUNT INTO DATE-RESULT       * DATEUTIL
001300*  RETURN CODE IN DATE-RC: 00 OK, 01 BAD MONTH, 02 BAD DAY,     * DATEUTIL
001400*    03 YEAR OUTSIDE 1900-2099, 99 BAD FUNCTION CODE.           * DATEUTIL
001500*  CHANGE LOG                                                   * DATEUTIL
001600*    06/19/89 TW   ORIGINAL (YYMMDD, JULIAN TABLES)             * DATEUTIL
001700*    11/17/98 DLW  Y2K: CCYYMMDD, INTRINSIC FUNCTIONS REPLACE   * DATEUTIL
001800*                  THE JULIAN TABLE ARITHMETIC                  * DATEUTIL
001900***************************************************************** DATEUTIL
002000 ENVIRONMENT DIVISION.                                            DATEUTIL
002100 CONFIGURATION SECTION.                                           DATEUTIL
002200 SOURCE-COMPUTER. IBM-370.                                        DATEUTIL
002300 OBJECT-COMPUTER. IBM-370.                                        DATEUTIL
002400 DATA DIVISION.                                                   DATEUTIL
002500 WORKING-STORAGE SECTION.                                         DATEUTIL
002600 01  WS-DAYS-IN-MONTH-DATA.                                       DATEUTIL
002700     05  FILLER                  PIC X(24)                        DATEUTIL
002800                                 VALUE '312831303130313130313031'.DATEUTIL
002900 01  WS-DAYS-IN-MONTH-TBL REDEFINES WS-DAYS-IN-MONTH-DATA.        DATEUTIL
003000     05  WS-MONTH-DAYS           PIC 9(02) OCCURS 12 TIMES.       DATEUTIL
003100 01  WS-WORK-DATE.                                                DATEUTIL
003200     05  WS-WK-YYYY              PIC 9(04).                       DATEUTIL
003300     05  WS-WK-MM                PIC 9(02).                       DATEUTIL
003400     05  WS-WK-DD                PIC 9(02).                       DATEUTIL
003500 01  WS-WORK-DATE-N REDEFINES WS-WORK-DATE                        DATEUTIL
003600                                 PIC 9(08).                       DATEUTIL
003700 01  WS-MAX-DAY                  PIC 9(02).                       DATEUTIL
003800 01  WS-LEAP-SW                  PIC X(01).                       DATEUTIL
003900     88  WS-LEAP-YEAR            VALUE 'Y'.                       DATEUTIL
004000 01  WS-REMAINDERS.                                               DATEUTIL
004100     05  WS-QUOTIENT             PIC 9(04).                       DATEUTIL
004200     05  WS-REM-4                PIC 9(04).                       DATEUTIL
004300     05  WS-REM-100              PIC 9(04).                       DATEUTIL
004400     05  WS-REM-400              PIC 9(04).                       DATEUTIL
004500 01  WS-INT-1                    PIC S9(09) COMP.                 DATEUTIL
004600 01  WS-INT-2                    PIC S9(09) COMP.                 DATEUTIL
004700 01  WS-ERROR-MSG                PIC X(80).                       DATEUTIL
004800 LINKAGE SECTION.                                                 DATEUTIL
004900 COPY DATEPARM REPLACING ==:TAG:== BY ==IN==.                     DATEUTIL
005000/                                                                 DATEUTIL
005100 PROCEDURE DIVISION USING IN-DATE-PARMS.                          DATEUTIL
005200 0000-MAIN.                                                       DATEUTIL
005300D    DISPLAY 'DATEUTIL IN  FUNC=' IN-DATE-FUNCTION                DATEUTIL
005400D            ' DATE-1=' IN-DATE-1 ' DATE-2=' IN-DATE-2.           DATEUTIL
005500     MOVE '00' TO IN-DATE-RC.                                     DATEUTIL
005600     EVALUATE TRUE                                                DATEUTIL
005700         WHEN IN-FN-VALIDATE                                      DATEUTIL
005800             MOVE IN-DATE-1 TO WS-WORK-DATE-N                     DATEUTIL
005900             PERFORM 1000-VALIDATE-DATE THRU 1000-EXIT            DATEUTIL
006000         WHEN IN-FN-DAYS-BETWEEN                                  DATEUTIL
006100             PERFORM 2000-DAYS-BETWEEN THRU 2000-EXIT             DATEUTIL
006200         WHEN IN-FN-ADD-DAYS                                      DATEUTIL
006300             PERFORM 3000-ADD-DAYS                                DATEUTIL
006400         WHEN OTHER                                               DATEUTIL
006500             MOVE '99' TO IN-DATE-RC                              DATEUTIL
006600             MOVE 'DATEUTIL: FUNCTION CODE IS NOT V, B OR A - CHECDATEUTIL
006700-                 'K THE CALLING PROGRAM' TO WS-ERROR-MSG         DATEUTIL
006800             DISPLAY WS-ERROR-MSG                                 DATEUTIL
006900     END-EVALUATE.                                                DATEUTIL
007000     GOBACK.                                                      DATEUTIL
007100*                                                                 DATEUTIL
007200*    YEAR 1900-2099, MONTH 1-12, DAY 1 TO THE LAST DAY OF THE     DATEUTIL
007300*    MONTH; FEBRUARY HAS 29 DAYS IN A LEAP YEAR.                  DATEUTIL
007400 1000-VALIDATE-DATE.                                              DATEUTIL
007500     IF WS-WK-YYYY < 1900 OR WS-WK-YYYY > 2099                    DATEUTIL
007600         MOVE '03' TO IN-DATE-RC                                  DATEUTIL
007700         GO TO 1000-EXIT.                                         DATEUTIL
007800     IF WS-WK-MM < 1 OR WS-WK-MM > 12                             DATEUTIL
007900         MOVE '01' TO IN-DATE-RC                                  DATEUTIL
008000         GO TO 1000-EXIT.                                         DATEUTIL
008100     MOVE WS-MONTH-DAYS (WS-WK-MM) TO WS-MAX-DAY.                 DATEUTIL
008200     IF WS-WK-MM = 2                                              DATEUTIL
008300         PERFORM 1100-CHECK-LEAP-YEAR                             DATEUTIL
008400         IF WS-LEAP-YEAR                                          DATEUTIL
008500             MOVE 29 TO WS-MAX-DAY.                               DATEUTIL
008600     IF WS-WK-DD = ZERO OR WS-WK-DD > WS-MAX-DAY                  DATEUTIL
008700         MOVE '02' TO IN-DATE-RC.                                 DATEUTIL
008800 1000-EXIT.                                                       DATEUTIL
008900     EXIT.                                                        DATEUTIL
009000*                                                                 DATEUTIL
009100*    GREGORIAN RULE: DIVISIBLE BY 4, EXCEPT CENTURIES THAT ARE    DATEUTIL
009200*    NOT DIVISIBLE BY 400.                                        DATEUTIL
009300 1100-CHECK-LEAP-YEAR.                                            DATEUTIL
009400     DIVIDE WS-WK-YYYY BY 4   GIVING WS-QUOTIENT                  DATEUTIL
009500                              REMAINDER WS-REM-4.                 DATEUTIL
009600     DIVIDE WS-WK-YYYY BY 100 GIVING WS-QUOTIENT                  DATEUTIL
009700                              REMAINDER WS-REM-100.               DATEUTIL
009800     DIVIDE WS-WK-YYYY BY 400 GIVING WS-QUOTIENT                  DATEUTIL
009900                              REMAINDER WS-REM-400.               DATEUTIL
010000     MOVE 'N' TO WS-LEAP-SW.                                      DATEUTIL
010100     IF WS-REM-4 = ZERO                                           DATEUTIL
010200         IF WS-REM-100 NOT = ZERO OR WS-REM-400 = ZERO            DATEUTIL
010300             MOVE 'Y' TO WS-LEAP-SW.                              DATEUTIL
010400/                                                                 DATEUTIL
010500*    BOTH DATES MUST BE VALID; THE COUNT IS NEGATIVE WHEN DATE-2  DATEUTIL
010600*    IS BEFORE DATE-1.                                            DATEUTIL
010700 2000-DAYS-BETWEEN.                                               DATEUTIL
010800     MOVE IN-DATE-1 TO WS-WORK-DATE-N.                            DATEUTIL
010900     PERFORM 1000-VALIDATE-DATE THRU 1000-EXIT.                   DATEUTIL
011000     IF IN-DATE-RC NOT = '00'                                     DATEUTIL
011100         GO TO 2000-EXIT.                                         DATEUTIL
011200     MOVE IN-DATE-2 TO WS-WORK-DATE-N.                            DATEUTIL
011300     PERFORM 1000-VALIDATE-DATE THRU 1000-EXIT.                   DATEUTIL
011400     IF IN-DATE-RC NOT = '00'                                     DATEUTIL
011500         GO TO 2000-EXIT.                                         DATEUTIL
011600     COMPUTE WS-INT-1 = FUNCTION INTEGER-OF-DATE (IN-DATE-1).     DATEUTIL
011700     COMPUTE WS-INT-2 = FUNCTION INTEGER-OF-DATE (IN-DATE-2).     DATEUTIL
011800     COMPUTE IN-DAY-COUNT = WS-INT-2 - WS-INT-1.                  DATEUTIL
011900 2000-EXIT.                                                       DATEUTIL
012000     EXIT.                                                        DATEUTIL
012100*                                                                 DATEUTIL
012200 3000-ADD-DAYS.                                                   DATEUTIL
012300     MOVE IN-DATE-1 TO WS-WORK-DATE-N.                            DATEUTIL
012400     PERFORM 1000-VALIDATE-DATE THRU 1000-EXIT.                   DATEUTIL
012500     IF IN-DATE-OK                                                DATEUTIL
012600         COMPUTE WS-INT-1 = FUNCTION INTEGER-OF-DATE (IN-DATE-1)  DATEUTIL
012700                          + IN-DAY-COUNT                          DATEUTIL
012800         COMPUTE IN-DATE-RESULT =                                 DATEUTIL
012900                 FUNCTION DATE-OF-INTEGER (WS-INT-1)              DATEUTIL
013000     ELSE                                                         DATEUTIL
013100         MOVE ZERO TO IN-DATE-RESULT.                             DATEUTIL
013200D    DISPLAY 'DATEUTIL OUT RC=' IN-DATE-RC                        DATEUTIL
013300D            ' RESULT=' IN-DATE-RESULT.                           DATEUTIL
