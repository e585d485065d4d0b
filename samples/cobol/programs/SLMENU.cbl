       IDENTIFICATION DIVISION.
       PROGRAM-ID. SLMENU.
       AUTHOR. D L WEBER.
       DATE-WRITTEN. 10/04/1993.
      *================================================================*
      * SLMENU - SAVINGS & LOANS ONLINE MAIN MENU (TRANSACTION SLMN)   *
      *   PSEUDO-CONVERSATIONAL. FIRST ENTRY CHECKS THE OPERATOR       *
      *   PROFILE (VSAM FILE SLOPER) AND SENDS MAP MENUMAP. THE CHOSEN *
      *   OPTION SELECTS THE TARGET PROGRAM FROM WS-MENU-TABLE, THE    *
      *   SELECTION IS AUDITED THROUGH SLAUDIT AND CONTROL PASSES BY   *
      *   XCTL. PF3 OR CLEAR ENDS THE SESSION.                         *
      *----------------------------------------------------------------*
      * 1993-10-04 DLW  ORIGINAL                                       *
      * 1997-06-12 PKS  SUPERVISOR-ONLY OPTIONS, AUDIT LINK            *
      *================================================================*
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-RESP                     PIC S9(08) COMP.
       01  WS-OPTION                   PIC 9(01).
       01  WS-XCTL-PGM                 PIC X(08).
       01  WS-USERID                   PIC X(08).
       01  WS-MESSAGE                  PIC X(60).
      *    OPERATOR PROFILE, VSAM KSDS SLOPER KEYED ON USER ID
       01  WS-OPER-REC.
           05  OPER-USERID             PIC X(08).
           05  OPER-NAME               PIC X(30).
           05  OPER-LEVEL              PIC X(01).
           05  OPER-BRANCH             PIC X(04).
           05  OPER-STATUS             PIC X(01).
               88  OPER-REVOKED        VALUE 'R'.
      *    MENU OPTIONS: PROGRAM, DESCRIPTION, LOWEST OPERATOR LEVEL
       01  WS-MENU-TABLE-DATA.
           05  FILLER  PIC X(29) VALUE 'SLINQ   ACCOUNT INQUIRY     T'.
           05  FILLER  PIC X(29) VALUE 'SLMAINT ACCOUNT MAINTENANCE S'.
           05  FILLER  PIC X(29) VALUE 'SLLOAN  LOAN PAYMENT ENTRY  T'.
           05  FILLER  PIC X(29) VALUE 'SLHIST  TRANSACTION HISTORY T'.
       01  WS-MENU-TABLE REDEFINES WS-MENU-TABLE-DATA.
           05  WS-MENU-ENTRY           OCCURS 4 TIMES.
               10  WS-MENU-PGM         PIC X(08).
               10  WS-MENU-DESC        PIC X(20).
               10  WS-MENU-LEVEL       PIC X(01).
                   88  WS-MENU-SUPERVISOR-ONLY VALUE 'S'.
       01  WS-AUDIT-AREA.
           05  AUD-TRANSID             PIC X(04).
           05  AUD-USERID              PIC X(08).
           05  AUD-ACTION              PIC X(08).
           05  AUD-PROGRAM             PIC X(08).
       COPY SLCOMM.
       COPY SLMAPS.
       COPY DFHAID.
       LINKAGE SECTION.
       01  DFHCOMMAREA                 PIC X(64).

       PROCEDURE DIVISION.
       0000-MAIN.
           EXEC CICS HANDLE ABEND
                LABEL(9000-ABEND-HANDLER)
           END-EXEC
           IF EIBCALEN = 0
               PERFORM 1000-FIRST-TIME
           ELSE
               MOVE DFHCOMMAREA (1:EIBCALEN) TO SL-COMMAREA
      *        BACK FROM AN OPTION PROGRAM: THE MENU IS NOT ON SCREEN
               IF SL-CA-FROM-PROGRAM NOT= 'SLMENU'
                   PERFORM 1200-SHOW-MENU
               ELSE
                   PERFORM 2000-PROCESS-INPUT
               END-IF
           END-IF
           PERFORM 8000-RETURN.

       1000-FIRST-TIME.
           INITIALIZE SL-COMMAREA
           EXEC CICS ASSIGN USERID(WS-USERID) END-EXEC
           PERFORM 1100-READ-OPERATOR
           PERFORM 1200-SHOW-MENU.

      *    ONLY KNOWN, NON-REVOKED OPERATORS MAY USE THE SYSTEM
       1100-READ-OPERATOR.
           EXEC CICS READ FILE('SLOPER')
                INTO(WS-OPER-REC)
                RIDFLD(WS-USERID)
                RESP(WS-RESP)
           END-EXEC
           EVALUATE WS-RESP
               WHEN DFHRESP(NORMAL)
                   IF OPER-REVOKED
                       MOVE 'USER ID REVOKED - SEE SECURITY OFFICER'
                         TO WS-MESSAGE
                       PERFORM 8100-END-SESSION
                   END-IF
                   MOVE WS-USERID  TO SL-CA-USERID
                   MOVE OPER-LEVEL TO SL-CA-OPER-LEVEL
               WHEN DFHRESP(NOTFND)
                   MOVE 'USER ID NOT AUTHORISED FOR SAVINGS & LOANS'
                     TO WS-MESSAGE
                   PERFORM 8100-END-SESSION
               WHEN OTHER
                   EXEC CICS ABEND ABCODE('SLM1') END-EXEC
           END-EVALUATE.

       1200-SHOW-MENU.
           MOVE LOW-VALUES TO MENUMAPO
           IF SL-CA-MESSAGE NOT= SPACES AND LOW-VALUES
               MOVE SL-CA-MESSAGE TO MNUMSGO
           ELSE
               MOVE 'SELECT AN OPTION AND PRESS ENTER' TO MNUMSGO
           END-IF
           PERFORM 7000-SEND-MENU.

       2000-PROCESS-INPUT.
           EVALUATE EIBAID
               WHEN DFHPF3
               WHEN DFHCLEAR
                   MOVE 'SAVINGS & LOANS SESSION ENDED' TO WS-MESSAGE
                   PERFORM 8100-END-SESSION
               WHEN DFHENTER
                   EXEC CICS RECEIVE MAP('MENUMAP')
                        MAPSET('SLMAPS')
                        INTO(MENUMAPI)
                        RESP(WS-RESP)
                   END-EXEC
                   PERFORM 2100-VALIDATE-OPTION
               WHEN OTHER
                   MOVE LOW-VALUES TO MENUMAPO
                   MOVE 'INVALID KEY - USE ENTER OR PF3' TO MNUMSGO
                   PERFORM 7000-SEND-MENU
           END-EVALUATE.

      *    OPTION 1-4; SUPERVISOR-ONLY OPTIONS NEED OPERATOR LEVEL S
       2100-VALIDATE-OPTION.
           IF MNUOPTI IS NUMERIC
               MOVE MNUOPTI TO WS-OPTION
           ELSE
               MOVE ZERO TO WS-OPTION
           END-IF
           MOVE LOW-VALUES TO MENUMAPO
           EVALUATE TRUE
               WHEN WS-OPTION < 1 OR > 4
                   MOVE 'INVALID OPTION - ENTER 1 TO 4' TO MNUMSGO
                   PERFORM 7000-SEND-MENU
               WHEN WS-MENU-SUPERVISOR-ONLY (WS-OPTION)
                    AND NOT SL-CA-SUPERVISOR
                   MOVE 'OPTION RESERVED FOR SUPERVISORS' TO MNUMSGO
                   PERFORM 7000-SEND-MENU
               WHEN OTHER
                   PERFORM 3000-TRANSFER
           END-EVALUATE.

       3000-TRANSFER.
           MOVE WS-MENU-PGM (WS-OPTION) TO WS-XCTL-PGM
           PERFORM 3100-AUDIT-SELECTION
           MOVE 'SLMENU' TO SL-CA-FROM-PROGRAM
           MOVE SPACES   TO SL-CA-MESSAGE
           SET SL-CA-FIRST-TIME TO TRUE
           EXEC CICS XCTL PROGRAM(WS-XCTL-PGM)
                COMMAREA(SL-COMMAREA)
                LENGTH(LENGTH OF SL-COMMAREA)
                RESP(WS-RESP)
           END-EXEC
      *    ONLY REACHED WHEN THE XCTL FAILED (PROGRAM NOT INSTALLED)
           MOVE LOW-VALUES TO MENUMAPO
           STRING WS-XCTL-PGM DELIMITED BY SPACE
                  ' IS NOT AVAILABLE' DELIMITED BY SIZE
                  INTO MNUMSGO
           PERFORM 7000-SEND-MENU.

      *    AUDIT TRAIL OF MENU SELECTIONS; A FAILURE IS NOT FATAL
       3100-AUDIT-SELECTION.
           MOVE EIBTRNID     TO AUD-TRANSID
           MOVE SL-CA-USERID TO AUD-USERID
           MOVE 'MENUSEL'    TO AUD-ACTION
           MOVE WS-XCTL-PGM  TO AUD-PROGRAM
           EXEC CICS LINK PROGRAM('SLAUDIT')
                COMMAREA(WS-AUDIT-AREA)
                LENGTH(LENGTH OF WS-AUDIT-AREA)
                RESP(WS-RESP)
           END-EXEC.

       7000-SEND-MENU.
           MOVE -1 TO MNUOPTL
           EXEC CICS SEND MAP('MENUMAP')
                MAPSET('SLMAPS')
                FROM(MENUMAPO)
                ERASE
                CURSOR
           END-EXEC.

       8000-RETURN.
           MOVE 'SLMENU' TO SL-CA-FROM-PROGRAM
           SET SL-CA-REENTER TO TRUE
           EXEC CICS RETURN TRANSID('SLMN')
                COMMAREA(SL-COMMAREA)
                LENGTH(LENGTH OF SL-COMMAREA)
           END-EXEC.

       8100-END-SESSION.
           EXEC CICS SEND TEXT FROM(WS-MESSAGE)
                LENGTH(LENGTH OF WS-MESSAGE)
                ERASE FREEKB
           END-EXEC
           EXEC CICS RETURN END-EXEC.

       9000-ABEND-HANDLER.
           MOVE 'SLMENU FAILED - CALL THE HELP DESK ON 4357'
             TO WS-MESSAGE
           PERFORM 8100-END-SESSION.
