       IDENTIFICATION DIVISION.
       PROGRAM-ID. FEECALC.
       AUTHOR. M K TRAN.
       DATE-WRITTEN. 09/06/1994.
      *================================================================*
      * FEECALC - FEE ENGINE. CALLED DYNAMICALLY BY INTCALC.           *
      *   ENTRY FEECALC  (USING FEE-PARMS): WORK OUT THE ONE FEE THAT  *
      *                  APPLIES TO THE ACCOUNT TODAY.                 *
      *   ENTRY FEEWAIVE (USING FEE-PARMS): STAFF ACCOUNTS. ALL FEES   *
      *                  WAIVED (POLICY HR-12), FEE CODE 'WVD'.        *
      *   FEE CODES  ODF OVERDRAFT             ODX EXTENDED OVERDRAFT  *
      *              MNT CHECKING MAINTENANCE  MNS SAVINGS BELOW MIN   *
      *              XWD EXCESS WITHDRAWALS    WVD WAIVED              *
      *   FEE-RC 00 = FEE WORKED OUT (MAY BE ZERO), 04 = WAIVED,       *
      *          08 = UNKNOWN ACCOUNT TYPE                             *
      *----------------------------------------------------------------*
      * 1994-09-06 MKT  ORIGINAL                                       *
      * 2002-07-01 AMC  DE MINIMIS: NO OVERDRAFT FEE UNDER 5.00        *
      * 2011-03-15 JBO  EXTENDED OVERDRAFT FEE PAST THE OD LIMIT       *
      *================================================================*
       DATA DIVISION.
       WORKING-STORAGE SECTION.
      *    FEE SCHEDULE 2011-03 (AMOUNTS IN DOLLARS)
       01  WS-FEE-SCHEDULE.
           05  WS-OD-FEE               PIC S9(05)V99 COMP-3
                                       VALUE 35.00.
           05  WS-OD-EXTENDED-FEE      PIC S9(05)V99 COMP-3
                                       VALUE 50.00.
           05  WS-OD-DE-MINIMIS        PIC S9(05)V99 COMP-3
                                       VALUE 5.00.
           05  WS-MAINT-FEE            PIC S9(05)V99 COMP-3
                                       VALUE 12.00.
           05  WS-SAV-MIN-FEE          PIC S9(05)V99 COMP-3
                                       VALUE 5.00.
           05  WS-XWD-FEE-EACH         PIC S9(05)V99 COMP-3
                                       VALUE 10.00.
           05  WS-XWD-FEE-CAP          PIC S9(05)V99 COMP-3
                                       VALUE 60.00.
           05  WS-XWD-FREE-COUNT       PIC S9(03)    COMP-3
                                       VALUE 6.
       01  WS-EXCESS-COUNT             PIC S9(05)    COMP-3.
       01  WS-OVERDRAWN-AMT            PIC S9(11)V99 COMP-3.
       LINKAGE SECTION.
       COPY FEEPARM.

       PROCEDURE DIVISION USING FEE-PARMS.
       0000-MAIN.
           MOVE ZERO   TO FEE-AMOUNT
           MOVE SPACES TO FEE-CODE
           SET FEE-OK TO TRUE
           EVALUATE FEE-ACCT-TYPE
               WHEN 'C'
                   PERFORM 1000-CHECKING-FEES
               WHEN 'S'
                   PERFORM 2000-SAVINGS-FEES
               WHEN 'T'
               WHEN 'L'
      *            CDS AND LOANS CARRY NO SERVICE FEES
                   CONTINUE
               WHEN OTHER
                   SET FEE-ERROR TO TRUE
           END-EVALUATE
           GOBACK.

      *    CHECKING: AN OVERDRAWN ACCOUNT PAYS THE OVERDRAFT FEE ONLY;
      *    OTHERWISE THE MAINTENANCE FEE APPLIES BELOW THE MINIMUM.
       1000-CHECKING-FEES.
           IF FEE-BALANCE < ZERO
               PERFORM 3000-OVERDRAFT-FEE
           ELSE
               IF FEE-BALANCE < FEE-MIN-BALANCE
                   MOVE WS-MAINT-FEE TO FEE-AMOUNT
                   MOVE 'MNT' TO FEE-CODE
               END-IF
           END-IF.

      *    SAVINGS: MORE THAN 6 WITHDRAWALS IN THE MONTH (REG D) COST
      *    10.00 EACH, CAPPED AT 60.00.
       2000-SAVINGS-FEES.
           EVALUATE TRUE
               WHEN FEE-BALANCE < ZERO
                   PERFORM 3000-OVERDRAFT-FEE
               WHEN FEE-TXN-COUNT > WS-XWD-FREE-COUNT
                   COMPUTE WS-EXCESS-COUNT =
                           FEE-TXN-COUNT - WS-XWD-FREE-COUNT
                   COMPUTE FEE-AMOUNT =
                           WS-EXCESS-COUNT * WS-XWD-FEE-EACH
                   IF FEE-AMOUNT > WS-XWD-FEE-CAP
                       MOVE WS-XWD-FEE-CAP TO FEE-AMOUNT
                   END-IF
                   MOVE 'XWD' TO FEE-CODE
               WHEN FEE-BALANCE < FEE-MIN-BALANCE
                   MOVE WS-SAV-MIN-FEE TO FEE-AMOUNT
                   MOVE 'MNS' TO FEE-CODE
               WHEN OTHER
                   CONTINUE
           END-EVALUATE.

      *    NO FEE WHEN OVERDRAWN BY 5.00 OR LESS; 50.00 WHEN PAST THE
      *    OVERDRAFT LIMIT; 35.00 OTHERWISE.
       3000-OVERDRAFT-FEE.
           COMPUTE WS-OVERDRAWN-AMT = ZERO - FEE-BALANCE
           EVALUATE TRUE
               WHEN WS-OVERDRAWN-AMT NOT > WS-OD-DE-MINIMIS
                   CONTINUE
               WHEN WS-OVERDRAWN-AMT > FEE-OD-LIMIT
                   MOVE WS-OD-EXTENDED-FEE TO FEE-AMOUNT
                   MOVE 'ODX' TO FEE-CODE
               WHEN OTHER
                   MOVE WS-OD-FEE TO FEE-AMOUNT
                   MOVE 'ODF' TO FEE-CODE
           END-EVALUATE.

      *    ALTERNATE ENTRY POINT FOR STAFF ACCOUNTS (CALL 'FEEWAIVE')
       9000-STAFF-WAIVER.
           ENTRY 'FEEWAIVE' USING FEE-PARMS
           MOVE ZERO  TO FEE-AMOUNT
           MOVE 'WVD' TO FEE-CODE
           SET FEE-WAIVED TO TRUE
           GOBACK.
