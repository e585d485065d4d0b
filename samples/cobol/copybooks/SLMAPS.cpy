      *================================================================*
      * SLMAPS   - SYMBOLIC MAPS FOR MAPSET SLMAPS (SEE BMS SOURCE)    *
      *            MENUMAP: MAIN MENU     INQMAP: ACCOUNT INQUIRY      *
      *================================================================*
       01  MENUMAPI.
           02  FILLER                  PIC X(12).
           02  MNUOPTL                 PIC S9(4) COMP.
           02  MNUOPTF                 PIC X.
           02  FILLER REDEFINES MNUOPTF.
               03  MNUOPTA             PIC X.
           02  MNUOPTI                 PIC X(01).
           02  MNUMSGL                 PIC S9(4) COMP.
           02  MNUMSGF                 PIC X.
           02  FILLER REDEFINES MNUMSGF.
               03  MNUMSGA             PIC X.
           02  MNUMSGI                 PIC X(60).
       01  MENUMAPO REDEFINES MENUMAPI.
           02  FILLER                  PIC X(12).
           02  FILLER                  PIC X(03).
           02  MNUOPTO                 PIC X(01).
           02  FILLER                  PIC X(03).
           02  MNUMSGO                 PIC X(60).
       01  INQMAPI.
           02  FILLER                  PIC X(12).
           02  INQACCTL                PIC S9(4) COMP.
           02  INQACCTF                PIC X.
           02  FILLER REDEFINES INQACCTF.
               03  INQACCTA            PIC X.
           02  INQACCTI                PIC X(10).
           02  INQNAMEL                PIC S9(4) COMP.
           02  INQNAMEF                PIC X.
           02  INQNAMEI                PIC X(30).
           02  INQTYPEL                PIC S9(4) COMP.
           02  INQTYPEF                PIC X.
           02  INQTYPEI                PIC X(12).
           02  INQSTATL                PIC S9(4) COMP.
           02  INQSTATF                PIC X.
           02  INQSTATI                PIC X(12).
           02  INQBALL                 PIC S9(4) COMP.
           02  INQBALF                 PIC X.
           02  INQBALI                 PIC X(17).
           02  INQAVLL                 PIC S9(4) COMP.
           02  INQAVLF                 PIC X.
           02  INQAVLI                 PIC X(17).
           02  INQOPNL                 PIC S9(4) COMP.
           02  INQOPNF                 PIC X.
           02  INQOPNI                 PIC X(10).
           02  INQMSGL                 PIC S9(4) COMP.
           02  INQMSGF                 PIC X.
           02  INQMSGI                 PIC X(60).
       01  INQMAPO REDEFINES INQMAPI.
           02  FILLER                  PIC X(12).
           02  FILLER                  PIC X(03).
           02  INQACCTO                PIC X(10).
           02  FILLER                  PIC X(03).
           02  INQNAMEO                PIC X(30).
           02  FILLER                  PIC X(03).
           02  INQTYPEO                PIC X(12).
           02  FILLER                  PIC X(03).
           02  INQSTATO                PIC X(12).
           02  FILLER                  PIC X(03).
           02  INQBALO                 PIC X(17).
           02  FILLER                  PIC X(03).
           02  INQAVLO                 PIC X(17).
           02  FILLER                  PIC X(03).
           02  INQOPNO                 PIC X(10).
           02  FILLER                  PIC X(03).
           02  INQMSGO                 PIC X(60).
